/* CCK sample examples-tables-attachment: its .ts in C. */
#include "cck_util.h"

static int jpeg(struct lb_step *s)
{
    return cck_attach_file(s,
                           "samples/examples-tables-attachment/cucumber.jpeg",
                           "image/jpeg",
                           NULL);
}
LB_STEP("a JPEG image is attached", jpeg);

static int png(struct lb_step *s)
{
    return cck_attach_file(s,
                           "samples/examples-tables-attachment/cucumber.png",
                           "image/png",
                           NULL);
}
LB_STEP("a PNG image is attached", png);
