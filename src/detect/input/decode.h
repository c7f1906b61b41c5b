/*
 * decode.h: decoders for common Linux and web log messages, so Sigma rules
 * and indicator lookups see fields (srcip, srcuser, command, …) and not
 * only free text.
 */
#ifndef SG_DETECT_DECODE_H
#define SG_DETECT_DECODE_H

#include "detect/engine/event.h"

/* Adds the fields the event's program's messages carry (sshd, sudo, su,
 * useradd, usermod, groupadd, userdel, passwd; access-log lines of
 * nginx and apache, audit records of audit, auditd and audispd), named as Wazuh's decoders
 * name them, plus "action" saying what happened ("ssh_login_failed",
 * …). Returns the number of fields added (0: no decoder knew the line). */
int det_decode(det_event *ev);

#endif
