/*
 * gen_openvas.c: a reproducible Greenbone/OpenVAS XML report of N results
 * for the scanner import benchmark (bench/vuln.sh).
 *
 *   sigap-gen-openvas N > report.xml
 *
 * The report has the shape of a GMP 22.4 report as gvm-cli answers it
 * (get_reports_response around the report, results, then the hosts), and
 * results of the size real ones have (about 2 KB: an NVT with its tag
 * string of summary, insight, affected, impact and solution, CVSS v3
 * severities, a few CVE and URL references, the NVT's output), drawn from
 * a fixed seed over 2,000 hosts, 40 ports and 300 NVTs, so one result in
 * a few is the same NVT on the same host and port as another (what the
 * findings side merges). 100,000 results make about 230 MB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t seed = 0x2545F4914F6CDD1DULL;

static uint32_t rnd(uint32_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed % n);
}

static const char *const ports[] = {"22/tcp", "80/tcp", "443/tcp", "3306/tcp", "8080/tcp",
				    "general/tcp", "25/tcp", "21/tcp", "5432/tcp", "161/udp"};
static const char *const threats[] = {"Log", "Low", "Medium", "High"};

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	if (n < 0 || argc != 2) {
		fprintf(stderr, "usage: sigap-gen-openvas N\n");
		return 2;
	}
	enum { HOSTS = 2000, NVTS = 300 };
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<get_reports_response status=\"200\" status_text=\"OK\">"
	       "<report id=\"b3c0ffee-0000-4000-8000-000000000000\" format_id=\"a994b278-1f62-11e1-96ac-406186ea4fc5\" "
	       "extension=\"xml\" content_type=\"text/xml\"><owner><name>ttis</name></owner>"
	       "<name>2026-11-30T02:00:00Z</name><report id=\"b3c0ffee-0000-4000-8000-000000000000\">"
	       "<gmp><version>22.4</version></gmp><scan_run_status>Done</scan_run_status>"
	       "<scan_start>2026-11-30T02:00:05Z</scan_start>\n<results max=\"-1\" start=\"1\">\n");
	for (long i = 0; i < n; i++) {
		uint32_t host = rnd(HOSTS), nvt = rnd(NVTS), port = rnd(sizeof ports / sizeof ports[0]);
		uint32_t sev10 = nvt % 4 == 0 ? 0 : 10 + (nvt * 37) % 91; /* 0.0 or 1.0 .. 10.0 */
		const char *threat = sev10 == 0 ? threats[0] : sev10 < 40 ? threats[1]
		                   : sev10 < 70 ? threats[2] : threats[3];
		printf("<result id=\"r%08lx-0000-4000-8000-000000000000\"><name>Sample NVT %u: product "
		       "&lt; %u.%u Multiple Vulnerabilities</name><owner><name>ttis</name></owner>"
		       "<modification_time>2026-11-30T03:00:00Z</modification_time><comment/>"
		       "<creation_time>2026-11-30T03:00:00Z</creation_time>"
		       "<host>10.%u.%u.%u<asset asset_id=\"a%u\"/><hostname>host%u.example.go.id</hostname></host>"
		       "<port>%s</port>\n<nvt oid=\"1.3.6.1.4.1.25623.1.0.%u\"><type>nvt</type>"
		       "<name>Sample NVT %u: product &lt; %u.%u Multiple Vulnerabilities</name>"
		       "<family>General</family><cvss_base>%u.%u</cvss_base>\n"
		       "<severities score=\"%u.%u\"><severity type=\"cvss_base_v3\"><origin>NVD</origin>"
		       "<date>2026-01-01T00:00:00Z</date><score>%u.%u</score>"
		       "<value>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</value></severity></severities>\n"
		       "<tags>cvss_base_vector=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H|summary=The product "
		       "%u is prone to multiple vulnerabilities that a remote attacker can use to read "
		       "files, run code or deny service.|insight=The following flaws exist:\n\n"
		       "  - CVE-2026-%05u: an out-of-bounds write in the request parser.\n\n"
		       "  - CVE-2026-%05u: a missing authorisation check in the admin interface.|"
		       "affected=Product %u versions prior to %u.%u.|impact=Successful exploitation allows "
		       "an unauthenticated attacker to execute arbitrary code.|solution=Update to version "
		       "%u.%u or later.|vuldetect=Checks if a vulnerable version is present on the target "
		       "host.|solution_type=VendorFix|qod_type=remote_banner</tags>\n"
		       "<solution type=\"VendorFix\">Update to version %u.%u or later.</solution>"
		       "<refs><ref type=\"cve\" id=\"CVE-2026-%05u\"/><ref type=\"cve\" id=\"CVE-2026-%05u\"/>"
		       "<ref type=\"url\" id=\"https://vendor.example.org/advisory/%u\"/>"
		       "<ref type=\"cert-bund\" id=\"WID-SEC-2026-%04u\"/>"
		       "<ref type=\"dfn-cert\" id=\"DFN-CERT-2026-%04u\"/></refs></nvt>\n"
		       "<scan_nvt_version>2026-11-01T00:00:00Z</scan_nvt_version><threat>%s</threat>"
		       "<severity>%u.%u</severity><qod><value>80</value><type>remote_banner</type></qod>"
		       "<description>Installed version: %u.%u.%u\nFixed version:     %u.%u\n"
		       "Installation path / port: /usr/sbin/product%u</description>"
		       "<original_threat>%s</original_threat><original_severity>%u.%u</original_severity>"
		       "<compliance>undefined</compliance></result>\n",
		       (unsigned long)i, nvt, nvt % 9 + 1, nvt % 7, host / 250, host % 250, host % 200 + 1,
		       host, host, ports[port], 100000 + nvt, nvt, nvt % 9 + 1, nvt % 7, sev10 / 10,
		       sev10 % 10, sev10 / 10, sev10 % 10, sev10 / 10, sev10 % 10, nvt, nvt * 2,
		       nvt * 2 + 1, nvt, nvt % 9 + 1, nvt % 7, nvt % 9 + 1, nvt % 7, nvt % 9 + 1, nvt % 7,
		       nvt * 2, nvt * 2 + 1, nvt, nvt, nvt, threat, sev10 / 10, sev10 % 10, nvt % 9,
		       nvt % 7, host % 10, nvt % 9 + 1, nvt % 7, nvt, threat, sev10 / 10, sev10 % 10);
	}
	printf("</results>\n");
	for (uint32_t h = 0; h < HOSTS; h++)
		printf("<host><ip>10.%u.%u.%u</ip><start>2026-11-30T02:00:06Z</start>"
		       "<end>2026-11-30T04:00:00Z</end></host>\n", h / 250, h % 250, h % 200 + 1);
	printf("<scan_end>2026-11-30T04:10:00Z</scan_end></report></report></get_reports_response>\n");
	return 0;
}
