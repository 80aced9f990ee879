/* CCK sample doc-strings: doc-strings.ts in C. */
#include <logos_bdd/step.h>

static int a_doc_string(struct lb_step *s)
{
    return lb_step_doc_string(s) != NULL ? 0 : lb_step_fail(s, "no doc string");
}
LB_STEP("a doc string:", a_doc_string);
