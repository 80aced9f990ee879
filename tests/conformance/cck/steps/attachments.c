/* CCK sample attachments: attachments.ts in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cck_util.h"

static int string_attached(struct lb_step *s)
{
    const char *text = lb_step_arg_str(s, 0);
    lb_step_attach_text(s, text, lb_step_arg_str(s, 1), NULL);
    return 0;
}
LB_STEP("the string {string} is attached as {string}", string_attached);

static int string_logged(struct lb_step *s)
{
    lb_step_log(s, "%s", lb_step_arg_str(s, 0));
    return 0;
}
LB_STEP("the string {string} is logged", string_logged);

static int ansi_logged(struct lb_step *s)
{
    lb_step_log(s,
                "This displays a \x1b[31mr\x1b[0m\x1b[91ma\x1b[0m\x1b[33mi"
                "\x1b[0m\x1b[32mn\x1b[0m\x1b[34mb\x1b[0m\x1b[95mo\x1b[0m"
                "\x1b[35mw\x1b[0m");
    return 0;
}
LB_STEP("text with ANSI escapes is logged", ansi_logged);

static int following_string(struct lb_step *s)
{
    const char *text = lb_step_doc_string(s);
    lb_step_attach_text(s, text, lb_step_arg_str(s, 0), NULL);
    return 0;
}
LB_STEP("the following string is attached as {string}:", following_string);

static int bytes_attached(struct lb_step *s)
{
    long long n = lb_step_arg_int(s, 0);
    unsigned char *data = malloc(n > 0 ? (size_t)n : 1);
    for (long long i = 0; i < n; i++)
        data[i] = (unsigned char)i;
    lb_step_attach(s, data, (size_t)n, lb_step_arg_str(s, 1), NULL);
    free(data);
    return 0;
}
LB_STEP("an array with {int} bytes is attached as {string}", bytes_attached);

static int pdf_attached(struct lb_step *s)
{
    return cck_attach_file(s,
                           "samples/attachments/document.pdf",
                           "application/pdf",
                           "renamed.pdf");
}
LB_STEP("a PDF document is attached and renamed", pdf_attached);

static int link_attached(struct lb_step *s)
{
    lb_step_link(s, lb_step_arg_str(s, 0));
    return 0;
}
LB_STEP("a link to {string} is attached", link_attached);

static int attached_before_failure(struct lb_step *s)
{
    const char *text = lb_step_arg_str(s, 0);
    lb_step_attach_text(s, text, lb_step_arg_str(s, 1), NULL);
    return lb_step_fail(s, "whoops");
}
LB_STEP("the string {string} is attached as {string} before a failure",
        attached_before_failure);
