/* CCK sample empty: no step definitions. */
#include <logos_bdd/step.h>
