/* CCK sample retry-undefined: there are intentionally no steps. */
#include <logos_bdd/step.h>
