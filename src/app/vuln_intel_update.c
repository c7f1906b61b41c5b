/*
 * vuln_intel_update.c: sigap vuln intel update: the configured CISA KEV,
 * FIRST EPSS and CVE record URLs fetched with libcurl and imported as
 * the files are (vuln_intel.c), for a CSIRT whose link allows it. Off by
 * default ([vuln_intel] update = on in sigap.conf): a kabupaten's link is
 * often slow, and everything imports from files.
 *
 * Each URL is downloaded to a temporary file beside the database (the
 * evidence directory's disk, not /tmp's memory), then imported through
 * vuln_intel_import as the kind its key says, in one transaction; the
 * file is removed whatever happens. A download that fails stores
 * nothing, and says why:
 *   - the server's HTTP status when it is not 2xx ("HTTP 404 from URL");
 *   - a transfer slower than [vuln_intel] timeout;
 *   - a file larger than [vuln_intel] max_size: refused before the
 *     download when the server announces its length, stopped as soon as
 *     it grows past otherwise;
 *   - TLS: the server's certificate is always verified (ca_file names
 *     the trust when the system's is not the one), never skipped;
 *   - what the import refuses (a file that is not of the kind expected:
 *     HTML from a captive portal instead of a CSV).
 * Only http:// and https:// are followed, redirects included.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "base/fsutil.h"

typedef struct fetch_ctx {
	FILE *out;
	long max;
	curl_off_t got;
	bool too_big;
	vi_fetch_progress_fn progress;
	void *pctx;
} fetch_ctx;

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
	fetch_ctx *f = user;
	size_t len = size * n;
	if (f->got + (curl_off_t)len > f->max) {
		f->too_big = true;
		return 0; /* stops the transfer */
	}
	if (fwrite(p, 1, len, f->out) != len)
		return 0;
	f->got += (curl_off_t)len;
	return len;
}

static int on_xfer(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		   curl_off_t ulnow)
{
	(void)ultotal, (void)ulnow;
	fetch_ctx *f = user;
	if (dltotal > f->max) { /* announced larger: stop before the body */
		f->too_big = true;
		return 1;
	}
	if (f->progress)
		f->progress(f->pctx, (uint64_t)dlnow, (uint64_t)dltotal);
	return 0;
}

/* Downloads url into the open file out. */
static int fetch(const app_config *c, const char *url, FILE *out, vi_fetch_progress_fn progress,
		 void *pctx, sg_err *e)
{
	CURL *h = curl_easy_init();
	if (h == NULL)
		return sg_err_set(e, SG_ENOMEM, "cannot start a download");
	fetch_ctx f = {out, c->vi_max_size, 0, false, progress, pctx};
	char why[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->vi_ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->vi_ca_file);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)c->vi_timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->vi_max_size);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "sigap/" SIGAP_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &f);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_xfer);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &f);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, why);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (f.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return sg_err_set(e, SG_EINVAL, "%s: larger than [vuln_intel] max_size (%ld bytes)",
				  url, c->vi_max_size);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return sg_err_set(e, SG_EIO, "%s: timed out after %lld s ([vuln_intel] timeout)", url,
				  (long long)c->vi_timeout);
	if (rc == CURLE_HTTP_RETURNED_ERROR || (rc == CURLE_OK && (status < 200 || status > 299)))
		return sg_err_set(e, SG_EIO, "%s: the server answered HTTP %ld", url, status);
	if (rc != CURLE_OK)
		return sg_err_set(e, SG_EIO, "%s: %s", url, why[0] ? why : curl_easy_strerror(rc));
	if (fflush(out) != 0)
		return sg_err_set(e, SG_EIO, "cannot write the download: %s", strerror(errno));
	return 0;
}

int vuln_intel_update(app *a, const char *actor, vi_kind only, vi_fetch_progress_fn progress,
		      vi_update_cb done, void *ctx, sg_err *e)
{
	const app_config *c = &a->cfg;
	if (!c->vi_update)
		return sg_err_set(e, SG_ESTATE,
				  "vuln intel update is off: set update = on and the URLs in the "
				  "[vuln_intel] section of sigap.conf (etc/sigap.conf.example)");
	/* the downloads are kept as evidence: on PostgreSQL only where the
	 * configuration says */
	if (app_evidence_ready(a, e) != 0)
		return -1;
	const struct {
		vi_kind kind;
		const char *url;
	} what[] = {{VI_KEV, c->vi_kev_url}, {VI_EPSS, c->vi_epss_url}, {VI_CVE, c->vi_cve_url}};
	int asked = 0, failed = 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
		if (what[i].url == NULL || (only != VI_AUTO && only != what[i].kind))
			continue;
		asked++;
		/* the temporary file beside the evidence, on the store's disk */
		char path[4096];
		snprintf(path, sizeof path, "%s/.intel-XXXXXX", c->evidence_dir);
		sg_err one = {0};
		sg_err made = {0};
		int fd = fs_mkdir_p(c->evidence_dir, &made) == 0 ? mkstemp(path) : -1;
		vi_import_result res;
		memset(&res, 0, sizeof res);
		diags d = DIAGS_INIT;
		d.limit = 20;
		int rc = -1;
		FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (out == NULL && made.msg[0]) {
			one = made;
		} else if (out == NULL) {
			sg_err_set(&one, SG_EIO, "cannot make a temporary file in %s: %s",
				   c->evidence_dir, strerror(errno));
			if (fd >= 0)
				close(fd);
		} else {
			rc = fetch(c, what[i].url, out, progress, ctx, &one);
			fclose(out);
			if (rc == 0) {
				rc = vuln_intel_import(a, actor, path, what[i].kind, NULL, NULL, &res, &d,
						       &one);
				if (rc != 0)
					sg_err_prefix(&one, "%s", what[i].url);
			}
			unlink(path);
		}
		failed += rc != 0;
		if (done)
			done(ctx, what[i].kind, what[i].url, rc == 0 ? &res : NULL, &d,
			     rc == 0 ? NULL : &one);
		diags_free(&d);
	}
	curl_global_cleanup();
	if (asked == 0 && only == VI_AUTO)
		return sg_err_set(e, SG_EINVAL, "no URL in the [vuln_intel] section of sigap.conf");
	if (asked == 0)
		return sg_err_set(e, SG_EINVAL, "no %s URL in the [vuln_intel] section of sigap.conf",
				  vi_kind_name(only));
	if (failed)
		return sg_err_set(e, SG_EIO, "%d of %d downloads failed; nothing of them is stored",
				  failed, asked);
	return 0;
}
