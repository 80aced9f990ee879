/* CCK sample global-hooks-attachments: its .ts in C. */
#include <string.h>

#include <logos_bdd/step.h>

static int before_all(struct lb_step *s)
{
    const char *text = "Attachment from BeforeAll hook";
    lb_step_attach_text(s, text, "text/plain", NULL);
    return 0;
}
LB_BEFORE_ALL(before_all);

static int a_step_passes(struct lb_step *s)
{
    return 0;
}
LB_STEP("a step passes", a_step_passes);

static int after_all(struct lb_step *s)
{
    const char *text = "Attachment from AfterAll hook";
    lb_step_attach_text(s, text, "text/plain", NULL);
    return 0;
}
LB_AFTER_ALL(after_all);
