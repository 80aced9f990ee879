/*
 * logos-bdd: the command line. Owns main(), the options and the exit codes;
 * the only place that may exit().
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_gherkin.h"

static const char usage_text[] = "usage: logos-bdd [OPTIONS] [PATH[:LINE]...]\n"
                                 "       logos-bdd gherkin [OPTIONS] FILE...\n"
                                 "\n"
                                 "  -h, --help     show this help\n"
                                 "      --version  print the version\n";

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "gherkin") == 0)
        return lb_cmd_gherkin(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("logos-bdd %s\n", LB_VERSION);
        return LB_EXIT_OK;
    }
    if (argc > 1 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_text, stdout);
        return LB_EXIT_OK;
    }
    fputs(usage_text, stderr);
    return LB_EXIT_USAGE;
}
