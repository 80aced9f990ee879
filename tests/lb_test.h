/*
 * Included first by every test file: the headers cmocka 1.1.5 needs, in the
 * order it needs them (clang-format must not sort <cmocka.h> above them).
 */
#ifndef LB_TEST_H
#define LB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
