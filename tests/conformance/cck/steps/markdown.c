/* CCK sample markdown: markdown.ts in C. */
#include <string.h>

#include <logos_bdd/step.h>

static int typescript_code(struct lb_step *s)
{
    /* markdown.ts names it dataTable, but the step has a DocString */
    return lb_step_doc_string(s) != NULL ? 0 : lb_step_fail(s, "no doc string");
}
LB_STEP("some TypeScript code:", typescript_code);

static int classic_gherkin(struct lb_step *s)
{
    return lb_step_doc_string(s) != NULL ? 0 : lb_step_fail(s, "no doc string");
}
LB_STEP("some classic Gherkin:", classic_gherkin);

static int table_and_attach(struct lb_step *s)
{
    const char *word = lb_step_arg_str(s, 0);
    if (lb_step_table(s) == NULL)
        return lb_step_fail(s, "no data table");
    lb_step_log(s, "We are logging some plain text (%s)", word);
    if (strcmp(word, "fail") == 0)
        return lb_step_fail(s, "You asked me to fail");
    return 0;
}
LB_STEP("we use a data table and attach something and then {word}",
        table_and_attach);

static int might_not_run(struct lb_step *s)
{
    return 0;
}
LB_STEP("this might or might not run", might_not_run);
