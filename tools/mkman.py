#!/usr/bin/env python3
"""mkman.py: sigap's manual pages and installed configuration, made at build
time from what the program itself says, so they cannot drift from it:

  mkman.py sigap1 SIGAP OUT        sigap(1): `sigap --help` and each
                                   command's `sigap COMMAND --help`
  mkman.py conf5 EXAMPLE VERSION OUT
                                   sigap.conf(5): etc/sigap.conf.example,
                                   each section, each key with its comment
  mkman.py conf EXAMPLE OUT        /etc/sigap/sigap.conf: the example with
                                   the store in /var/lib/sigap (the
                                   service's StateDirectory)
"""
import re
import subprocess
import sys

DATE = "2026-12-05"


def roff(text):
    """Text as roff: backslashes, leading dots and quotes escaped."""
    out = []
    for line in text.split("\n"):
        line = line.replace("\\", "\\e")
        if line.startswith(".") or line.startswith("'"):
            line = "\\&" + line
        out.append(line)
    return "\n".join(out)


def run_help(sigap, args):
    r = subprocess.run([sigap] + args + ["--help"], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    return (r.stdout or r.stderr).rstrip("\n")


def sigap1(sigap, out):
    top = run_help(sigap, [])
    version = subprocess.run([sigap, "--version"], capture_output=True, text=True).stdout.split()[-1]
    commands = []
    in_cmds = False
    for line in top.split("\n"):
        if line.startswith("commands:"):
            in_cmds = True
            continue
        if in_cmds:
            if not line.strip():
                break
            m = re.match(r"  (\w+)\s", line)
            if m:
                commands.append(m.group(1))
    page = [f'.TH SIGAP 1 "{DATE}" "sigap {version}" "sigap"',
            ".SH NAME",
            "sigap \\- a CSIRT's standard operating procedures, alerts, findings and websites",
            ".SH SYNOPSIS",
            ".B sigap",
            "[\\fB\\-\\-db\\fR \\fISTORE\\fR] [\\fB\\-\\-config\\fR \\fIFILE\\fR] "
            "[\\fB\\-\\-sops\\fR \\fIDIR\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]",
            ".SH DESCRIPTION",
            ".nf",
            roff(top),
            ".fi",
            ".SH COMMANDS"]
    for c in commands:
        page += [f".SS {c}", ".nf", roff(run_help(sigap, [c])), ".fi"]
    page += [".SH FILES",
             ".TP", ".I /etc/sigap/sigap.conf",
             "the configuration, described in \\fBsigap.conf\\fR(5)",
             ".TP", ".I /var/lib/sigap",
             "the store (sigap.db), the evidence and the caches of the service",
             ".SH ENVIRONMENT",
             ".TP", ".B SIGAP_CONFIG", "the configuration file, when \\-\\-config is not given",
             ".TP", ".B SIGAP_DB", "the store, when \\-\\-db is not given",
             ".TP", ".B SIGAP_SOPS", "extra SOP files, when \\-\\-sops is not given",
             ".SH SEE ALSO",
             "\\fBsigap.conf\\fR(5), \\fBsystemd.service\\fR(5); the documents in "
             "/usr/share/doc/sigap"]
    with open(out, "w") as f:
        f.write("\n".join(page) + "\n")


KEY = re.compile(r"^(;\s*)?([a-z][a-z0-9_.]*)\s*=\s*(.*)$")


def conf5(example, version, out):
    lines = open(example).read().split("\n")
    page = [f'.TH SIGAP.CONF 5 "{DATE}" "sigap {version}" "sigap"',
            ".SH NAME",
            "sigap.conf \\- the configuration of sigap",
            ".SH DESCRIPTION"]
    para = []

    def flush_para():
        if para:
            page.append(".PP")
            page.append(roff(" ".join(para)))
            para.clear()

    intro = True
    for raw in lines:
        line = raw.rstrip()
        sec = re.match(r"^\[([a-z_]+)\]$", line)
        if sec:
            flush_para()
            if intro:
                page.append(".PP")
                page.append("Every key is optional; an unknown section or key is an error "
                            "naming its line (\\fBsigap config check\\fR lists every one). "
                            "Sizes take K, M and G; durations s, m, h and d.")
                page.append(".SH SECTIONS")
                intro = False
            page.append(f".SS [{sec.group(1)}]")
            continue
        if not line:
            flush_para()
            continue
        key = KEY.match(line)
        if key and not (key.group(1) and " " in key.group(3) and key.group(3).endswith(".")):
            commented, name, value = key.group(1), key.group(2), key.group(3)
            page.append(".TP")
            page.append(f"\\fB{roff(name)}\\fR = {roff(value)}" +
                        (" (an example; unset by default)" if commented else ""))
            if para:
                page.append(roff(" ".join(para)))
                para.clear()
            continue
        if line.startswith(";") and not intro:
            para.append(line.lstrip(";").strip())
    flush_para()
    page += [".SH FILES", ".I /etc/sigap/sigap.conf",
             ".SH SEE ALSO", "\\fBsigap\\fR(1)"]
    with open(out, "w") as f:
        f.write("\n".join(page) + "\n")


def conf(example, out):
    text = open(example).read()
    text = text.replace("; sigap.conf: copy to ./sigap.conf (or name it with --config / SIGAP_CONFIG).",
                        "; /etc/sigap/sigap.conf: the configuration of the sigap service\n"
                        "; (sigap.conf(5)); check a change with `sigap config check` before\n"
                        "; `systemctl reload sigap` or a restart.")
    text = re.sub(r"(?m)^path = \./var/sigap\.db$", "path = /var/lib/sigap/sigap.db", text)
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "sigap1":
        sigap1(sys.argv[2], sys.argv[3])
    elif what == "conf5":
        conf5(sys.argv[2], sys.argv[3], sys.argv[4])
    elif what == "conf":
        conf(sys.argv[2], sys.argv[3])
    else:
        sys.exit("mkman.py: sigap1 | conf5 | conf")
