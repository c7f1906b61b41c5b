/* fuzz_mime.c: the e-mail parser of the mail intake (notify/mime.h),
 * with its default limits and with small ones (so the nesting, attachment,
 * size and text limits are crossed often). Whatever the input, parsing
 * succeeds and gives what the intake relies on: every string valid UTF-8,
 * the one-line fields (sender, subject, ids, filenames, types, problems)
 * free of control characters, the text free of them but tab and LF and
 * within max_text_bytes, filenames base names never empty, attachments
 * within max_parts with a size that matches their bytes (or too_big, over
 * max_part_bytes, without bytes), problems bounded. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "notify/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

static void line_ok(const char *s)
{
	if (s == NULL)
		return;
	if (!utf8_valid(s, strlen(s)))
		abort();
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xC2 && p[1] < 0xA0))
			abort();
}

static void check(const mime_msg *m, const mime_limits *lim)
{
	line_ok(m->from_name);
	line_ok(m->from_addr);
	line_ok(m->subject);
	line_ok(m->message_id);
	line_ok(m->in_reply_to);
	line_ok(m->auto_submitted);
	line_ok(m->precedence);
	if (m->from_addr && (!strchr(m->from_addr, '@') || strpbrk(m->from_addr, " <>")))
		abort();
	if (m->text) {
		size_t len = strlen(m->text);
		if (len == 0 || len > lim->max_text_bytes || !utf8_valid(m->text, len))
			abort();
		for (const unsigned char *p = (const unsigned char *)m->text; *p; p++)
			if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
				abort();
	}
	if (m->n_parts > lim->max_parts || (m->n_parts && m->parts == NULL))
		abort();
	for (size_t i = 0; i < m->n_parts; i++) {
		const mime_part *p = &m->parts[i];
		if (p->filename == NULL || p->content_type == NULL || p->filename[0] == '\0' ||
		    p->filename[0] == '.' || strpbrk(p->filename, "/\\") ||
		    strlen(p->filename) > MIME_FILENAME_MAX)
			abort();
		line_ok(p->filename);
		line_ok(p->content_type);
		if (p->too_big ? (p->data || p->len || p->size <= lim->max_part_bytes)
		               : (p->len != p->size || p->len > lim->max_part_bytes ||
		                  (p->len && p->data == NULL)))
			abort();
		if (p->len) /* the bytes are there to be read */
			(void)*(volatile unsigned char *)&p->data[p->len - 1];
	}
	if (m->n_problems > MIME_MAX_PROBLEMS + 2)
		abort();
	for (size_t i = 0; i < m->n_problems; i++)
		line_ok(m->problems[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const mime_limits limits[] = {{64, 8, (size_t)25 << 20, (size_t)1 << 20},
	                                     {3, 2, 40, 64}};
	for (size_t k = 0; k < 2; k++) {
		mime_msg m;
		sg_err e = {0};
		if (mime_parse((const char *)data, n, &limits[k], &m, &e) != 0)
			abort(); /* only out of memory may fail */
		check(&m, &limits[k]);
		mime_msg_free(&m);
	}
	return 0;
}
