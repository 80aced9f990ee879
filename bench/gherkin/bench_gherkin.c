/*
 * Gherkin parser benchmark. On one corpus, in one run, prints:
 *   - the baseline: read every file and count its newlines (MB/s);
 *   - ours: parse + pickles, and parse + pickles + all NDJSON envelopes
 *     (MB/s, features/s);
 *   - memory per MB of input: the peak of the heap bytes the parser holds
 *     while it parses and compiles one document (everything allocated
 *     through lb_malloc between the call to lb_gherkin_parse and the end
 *     of lb_gherkin_compile, still live at the worst moment: the AST,
 *     the pickles, the parser's scratch, not the source, which is
 *     borrowed (LB_GHERKIN_BORROW_SOURCE: no copy); malloc_usable_size
 *     of each block, so malloc's rounding counts too), for the largest
 *     document and the worst ratio over all documents; and the process's
 *     peak RSS after the parse passes (the bench itself holds the inputs);
 *   - the official JavaScript parser (gherkin-ref --bench) when Node and
 *     the reference are there, with the ratios.
 *
 * usage: bench_gherkin [--passes N] [--parse-only] [--uuid] [--scaling]
 *                      [--ref gherkin-ref.mjs] PATH...
 * Times are CPU time of the process (the machine is shared), best of N,
 * with the wall time of the same pass beside it; --parse-only skips the
 * NDJSON passes (for perf record); ids are predictable ("0", "1", ...,
 * as --predictable-ids) unless --uuid asks for random UUIDs (the runner's
 * default: 37 bytes an id, and snprintf to make each); --scaling times the
 * largest file's first eighth, quarter, half and whole as documents of
 * their own (flat MB/s: time linear in the size).
 * malloc keeps freed memory as `logos-bdd gherkin` sets it (mallopt); with
 * LB_BENCH_MALLOC_DEFAULTS set, glibc's defaults (memory returned to the
 * kernel between documents and faulted in again).
 * (a PATH is a .feature file or a folder of them; see
 * scripts/gen-gherkin-corpus.py and bench/gherkin.cmake)
 */
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "core/time.h"
#include "core/vec.h"
#include "gherkin/gherkin.h"

/*
 * Heap accounting: every lb_malloc of the process goes through these
 * (lb_replace_allocator), so the bench sees what the parser holds.
 */
static bool uuid_ids; /* --uuid: random UUIDs, the runner's default */
static size_t heap_live;
static size_t heap_peak;

static void heap_add(void *p)
{
    if (p != NULL) {
        heap_live += malloc_usable_size(p);
        if (heap_live > heap_peak)
            heap_peak = heap_live;
    }
}

static void *count_malloc(size_t n)
{
    void *p = malloc(n);

    heap_add(p);
    return p;
}

static void *count_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);

    heap_add(p);
    return p;
}

static void *count_realloc(void *old, size_t n)
{
    size_t before = old != NULL ? malloc_usable_size(old) : 0;
    void *p = realloc(old, n);

    if (p != NULL) {
        heap_live -= before;
        heap_add(p);
    }
    return p;
}

static void count_free(void *p)
{
    if (p != NULL)
        heap_live -= malloc_usable_size(p);
    free(p);
}

/* An arena's big blocks, mapped whole (core/alloc.h): counted whole too. */
static void *count_huge_alloc(size_t n)
{
    void *p = lb_huge_map(n);

    if (p != NULL) {
        heap_live += n;
        if (heap_live > heap_peak)
            heap_peak = heap_live;
    }
    return p;
}

static void count_huge_free(void *p, size_t n)
{
    heap_live -= n;
    lb_huge_unmap(p, n);
}

/*
 * The machine is shared: wall time swings with the load, so every figure is
 * CPU time of this process (user + system, page faults included).
 */
static int64_t cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct file {
    char *path;
    struct lb_buf data;
};

static LB_VEC(struct file) files;

static void add_path(const char *path)
{
    struct stat st;
    size_t n = strlen(path);

    if (stat(path, &st) != 0) {
        fprintf(stderr, "bench_gherkin: cannot stat '%s'\n", path);
        exit(2);
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **names;
        int count = scandir(path, &names, NULL, alphasort);
        int i;

        for (i = 0; i < count; i++) {
            char sub[4096];

            if (names[i]->d_name[0] != '.') {
                snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
                add_path(sub);
            }
            free(names[i]);
        }
        free(names);
        return;
    }
    if ((n > 8 && strcmp(path + n - 8, ".feature") == 0) ||
        (n > 3 && strcmp(path + n - 3, ".md") == 0))
    {
        struct file f;

        f.path = lb_xstrdup(path);
        lb_buf_init(&f.data, 0);
        if (lb_vec_push(&files, f) != 0)
            exit(2);
    }
}

/* The baseline: read each file from the (warm) page cache, count '\n'. */
static double read_and_count(size_t *bytes, size_t *lines, double *wall)
{
    int64_t t0 = cpu_ns();
    int64_t w0 = lb_time_mono_ns();
    size_t i;

    *bytes = 0;
    *lines = 0;
    for (i = 0; i < files.len; i++) {
        struct lb_error err;
        const char *p;
        const char *end;

        lb_error_init(&err);
        lb_buf_reset(&files.items[i].data);
        if (lb_buf_read_file(&files.items[i].data, files.items[i].path, &err)) {
            fprintf(stderr, "bench_gherkin: %s\n", err.msg);
            exit(2);
        }
        p = files.items[i].data.ptr;
        end = p + files.items[i].data.len;
        while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            (*lines)++;
            p++;
        }
        *bytes += files.items[i].data.len;
    }
    *wall = (double)(lb_time_mono_ns() - w0) / 1e9;
    return (double)(cpu_ns() - t0) / 1e9;
}

/*
 * Folds a string into the checksum of the pickles: every pickle and every
 * pickle step, text and argument is made and read, as a consumer would.
 */
static uint64_t pickle_sum;

static void sum_str(const char *s)
{
    pickle_sum = pickle_sum * 31 + strlen(s) + (unsigned char)s[0];
}

static void sum_pickle(const struct lb_gherkin_pickle *p)
{
    uint32_t i;
    size_t r;
    size_t c;

    sum_str(p->id);
    sum_str(p->name);
    for (i = 0; i < p->n_tags; i++)
        sum_str(p->tags[i].name);
    for (i = 0; i < p->n_steps; i++) {
        const struct lb_gherkin_pickle_step *s = &p->steps[i];

        sum_str(s->id);
        sum_str(s->text);
        if (s->doc_string != NULL)
            pickle_sum = pickle_sum * 31 + s->doc_string->content_len;
        for (r = 0; s->data_table != NULL && r < s->data_table->n_rows; r++)
            for (c = 0; c < s->data_table->rows[r].n_cells; c++)
                sum_str(s->data_table->rows[r].cells[c].value);
    }
}

/*
 * The NDJSON goes out in pieces, as `logos-bdd gherkin` writes it: a
 * piece of 256 KiB or more is counted and dropped (the output of a big
 * document is ten times its size: it never sits whole in memory).
 */
static size_t piece_bytes;

static int drop_piece(struct lb_buf *out, void *ud)
{
    (void)ud;
    if (out->len >= ((size_t)256 << 10)) {
        piece_bytes += out->len;
        lb_buf_reset(out);
    }
    return 0;
}

/*
 * Makes every pickle of a compiled `doc` (a scratch of its own) and folds
 * it into pickle_sum; writes its envelope to `out` in pieces unless NULL.
 */
static void make_pickles(const struct lb_gherkin_document *doc,
                         struct lb_buf *out)
{
    struct lb_gherkin_pickle_scratch ps = LB_GHERKIN_PICKLE_SCRATCH_INIT;
    size_t k;

    for (k = 0; k < doc->n_pickles; k++) {
        const struct lb_gherkin_pickle *pk = lb_gherkin_pickle_at(doc, k, &ps);

        sum_pickle(pk);
        if (out != NULL) {
            lb_gherkin_write_pickle(out, doc, pk);
            (void)drop_piece(out, NULL);
        }
    }
    lb_gherkin_pickle_scratch_release(&ps);
}

/*
 * Parse (+ pickles, + NDJSON): seconds; counts features and errors. Every
 * pickle is made (lb_gherkin_pickle_at, a scratch per document, inside the
 * memory measure) and folded into pickle_sum.
 */
static double run_ours(const struct lb_gherkin_dialects *dl,
                       bool ndjson,
                       size_t *features,
                       size_t *errors,
                       size_t *out_bytes,
                       double *heap_per_mb,
                       double *heap_worst,
                       double *heap_all,
                       double *wall)
{
    struct lb_buf out = LB_BUF_INIT;
    struct lb_idgen ids;
    int64_t t0;
    size_t i;
    size_t biggest = 0;

    lb_idgen_init(&ids, !uuid_ids);
    size_t peaks = 0;
    size_t total = 0;

    *heap_worst = 0;
    *features = *errors = *out_bytes = 0;
    pickle_sum = 0;
    t0 = cpu_ns();
    *wall = lb_time_mono_ns();
    for (i = 0; i < files.len; i++) {
        struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
        struct lb_gherkin_document *doc = NULL;
        struct lb_error err;
        const struct file *f = &files.items[i];
        size_t base = heap_live;
        double ratio;

        heap_peak = heap_live;
        o.dialects = dl;
        o.ids = &ids;
        /* the bench holds the files as long as their documents */
        o.flags = LB_GHERKIN_BORROW_SOURCE;
        lb_error_init(&err);
        (void)lb_gherkin_parse(
            f->path, f->data.ptr, f->data.len, &o, &doc, &err);
        if (doc == NULL)
            exit(2);
        (void)lb_gherkin_compile(doc, &err);
        make_pickles(doc, ndjson ? &out : NULL);
        ratio = f->data.len > 0
                    ? (double)(heap_peak - base) / (double)f->data.len
                    : 0;
        peaks += heap_peak - base;
        total += f->data.len;
        if (ratio > *heap_worst && f->data.len >= 1024)
            *heap_worst = ratio;
        *features += doc->feature != NULL;
        *errors += doc->n_errors > 0;
        if (ndjson) {
            /* the pickles went first (above): the same bytes, in another
             * order */
            (void)lb_gherkin_write_source_in_pieces(
                &out, doc, drop_piece, NULL);
            if (doc->n_errors)
                lb_gherkin_write_errors(&out, doc);
            else
                (void)lb_gherkin_write_document_in_pieces(
                    &out, doc, drop_piece, NULL);
            *out_bytes += piece_bytes + out.len;
            piece_bytes = 0;
            lb_buf_reset(&out);
        }
        if (f->data.len >= biggest && f->data.len > 0) {
            biggest = f->data.len;
            *heap_per_mb = ratio;
        }
        lb_gherkin_document_free(doc);
    }
    lb_buf_release(&out);
    *heap_all = total > 0 ? (double)peaks / (double)total : 0;
    *wall = (double)(lb_time_mono_ns() - (int64_t)*wall) / 1e9;
    return (double)(cpu_ns() - t0) / 1e9;
}

/*
 * CPU seconds of parse + pickles (+ the NDJSON, in pieces) of `len` bytes
 * at `data`, best of 2: one document of that size.
 */
static double time_document(const struct lb_gherkin_dialects *dl,
                            const char *data,
                            size_t len,
                            bool ndjson)
{
    double best = 1e9;
    int pass;

    for (pass = 0; pass < 2; pass++) {
        struct lb_gherkin_options o = LB_GHERKIN_OPTIONS_INIT;
        struct lb_gherkin_document *doc = NULL;
        struct lb_buf out = LB_BUF_INIT;
        struct lb_idgen ids;
        struct lb_error err;
        int64_t t0;
        double t;

        lb_idgen_init(&ids, !uuid_ids);
        o.dialects = dl;
        o.ids = &ids;
        o.flags = LB_GHERKIN_BORROW_SOURCE;
        lb_error_init(&err);
        /*
         * every part on memory fresh from the kernel, as in a process of
         * its own: the heap an earlier part freed is given back first, so
         * a small part does not reuse faulted-in pages that a large one
         * (a mapping of its own, returned when freed) cannot
         */
        (void)malloc_trim(0);
        t0 = cpu_ns();
        (void)lb_gherkin_parse("scaling.feature", data, len, &o, &doc, &err);
        if (doc == NULL)
            exit(2);
        (void)lb_gherkin_compile(doc, &err);
        if (ndjson) {
            (void)lb_gherkin_write_source_in_pieces(
                &out, doc, drop_piece, NULL);
            (void)lb_gherkin_write_document_in_pieces(
                &out, doc, drop_piece, NULL);
        }
        make_pickles(doc, ndjson ? &out : NULL);
        lb_gherkin_document_free(doc);
        lb_buf_release(&out);
        piece_bytes = 0;
        t = (double)(cpu_ns() - t0) / 1e9;
        if (t < best)
            best = t;
    }
    return best;
}

/*
 * --scaling: the largest file's first eighth, quarter, half and all of it
 * (cut after a line), each parsed as one document on fresh memory (see
 * time_document): MB/s that stays flat is time linear in the size, for
 * parse + pickles and for the NDJSON.
 */
static void print_scaling(const struct lb_gherkin_dialects *dl)
{
    static const double parts[] = {0.125, 0.25, 0.5, 1.0};
    const struct lb_buf *big = NULL;
    size_t i;

    for (i = 0; i < files.len; i++)
        if (big == NULL || files.items[i].data.len > big->len)
            big = &files.items[i].data;
    if (big == NULL || big->len == 0)
        return;
    printf("  scaling (one document, its first part, on memory fresh from "
           "the kernel; CPU MB/s, best of 2):\n");
    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        size_t len = (size_t)((double)big->len * parts[i]);
        const char *nl;
        double mb;

        /* cut after a line: the part is a document of its own */
        nl = len < big->len ? memchr(big->ptr + len, '\n', big->len - len)
                            : NULL;
        len = nl != NULL ? (size_t)(nl - big->ptr) + 1 : big->len;
        mb = (double)len / 1e6;
        printf("    %8.1f MB: parse + pickles %8.1f MB/s, + NDJSON %8.1f "
               "MB/s\n",
               mb,
               mb / time_document(dl, big->ptr, len, false),
               mb / time_document(dl, big->ptr, len, true));
    }
}

/* Runs the reference's --bench on the same files; its MB/s, or 0. */
static double run_ref(const char *ref, int passes)
{
    char list[] = "/tmp/lb-bench-gherkin-XXXXXX";
    char cmd[8192];
    char line[4096];
    double mbps = 0;
    FILE *fp;
    size_t i;
    int fd = mkstemp(list);

    if (fd < 0 || access(ref, R_OK) != 0)
        return 0;
    fp = fdopen(fd, "w");
    for (i = 0; i < files.len; i++)
        fprintf(fp, "%s\n", files.items[i].path);
    if (fclose(fp) != 0)
        return 0;
    snprintf(cmd,
             sizeof(cmd),
             "node '%s' --bench %d --bench-what pickles --files-from '%s' "
             "2>/dev/null",
             ref,
             passes,
             list);
    fp = popen(cmd, "r");
    if (fp != NULL) {
        while (fgets(line, sizeof(line), fp) != NULL) {
            const char *m = strstr(line, "\"MBps_median\":");

            if (m != NULL) {
                mbps = atof(m + 14);
                printf("  official JS parser (gherkin-ref --bench %d, "
                       "pickles): %s",
                       passes,
                       line);
            }
        }
        (void)pclose(fp);
    }
    (void)unlink(list);
    return mbps;
}

/* user and system CPU seconds of the process so far */
static void cpu_split(double *user, double *sys)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    struct lb_gherkin_dialects *dl = NULL;
    struct lb_error err;
    const char *ref = NULL;
    int passes = 3;
    bool ndjson = true;
    bool scaling = false;
    size_t bytes = 0;
    size_t lines = 0;
    size_t features = 0;
    size_t errors = 0;
    size_t out_bytes = 0;
    double heap_per_mb = 0;
    double heap_worst = 0;
    double heap_all = 0;
    double t_base = 1e9;
    double w_base = 1e9;
    double t_parse = 1e9;
    double t_ndjson = 1e9;
    double t_first = 0; /* the first pass: the heap not yet faulted in */
    double w_parse = 1e9;
    double w_ndjson = 1e9;
    double u0;
    double s0;
    double u1;
    double s1;
    double u_first = 0; /* the first pass's user and system seconds */
    double s_first = 0;
    double w;
    double mb;
    double js;
    long rss_parse;
    uint64_t sum_parse;
    long faults_parse;
    struct rusage ru;
    int i;
    int p;

    /* as `logos-bdd gherkin` does: freed pages are reused, not returned */
    if (getenv("LB_BENCH_MALLOC_DEFAULTS") == NULL) {
        (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
        (void)mallopt(M_MMAP_THRESHOLD, 64 << 20);
    }
    (void)lb_replace_allocator(
        count_malloc, count_realloc, count_calloc, count_free);
    lb_replace_huge_allocator(count_huge_alloc, count_huge_free);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ref") == 0 && i + 1 < argc)
            ref = argv[++i];
        else if (strcmp(argv[i], "--passes") == 0 && i + 1 < argc)
            passes = atoi(argv[++i]);
        else if (strcmp(argv[i], "--parse-only") == 0)
            ndjson = false;
        else if (strcmp(argv[i], "--uuid") == 0)
            uuid_ids = true;
        else if (strcmp(argv[i], "--scaling") == 0)
            scaling = true;
        else
            add_path(argv[i]);
    }
    if (files.len == 0 || passes < 1) {
        fprintf(stderr,
                "usage: bench_gherkin [--passes N] [--parse-only] [--uuid] "
                "[--scaling] [--ref gherkin-ref.mjs] PATH...\n");
        return 2;
    }
    lb_error_init(&err);
    if (lb_gherkin_dialects_new(&dl, NULL, &err) != 0) {
        lb_error_print(&err, stderr);
        return 2;
    }
    (void)read_and_count(&bytes, &lines, &w); /* warm the page cache */
    for (p = 0; p < passes; p++) {
        double t = read_and_count(&bytes, &lines, &w);

        if (t < t_base) {
            t_base = t;
            w_base = w;
        }
    }
    getrusage(RUSAGE_SELF, &ru);
    faults_parse = ru.ru_minflt;
    cpu_split(&u0, &s0);
    for (p = 0; p < passes; p++) {
        double t = run_ours(dl,
                            false,
                            &features,
                            &errors,
                            &out_bytes,
                            &heap_per_mb,
                            &heap_worst,
                            &heap_all,
                            &w);

        if (p == 0) {
            t_first = t;
            cpu_split(&u_first, &s_first);
            u_first -= u0;
            s_first -= s0;
        }
        if (t < t_parse) {
            t_parse = t;
            w_parse = w;
        }
    }
    cpu_split(&u1, &s1);
    sum_parse = pickle_sum;
    getrusage(RUSAGE_SELF, &ru);
    rss_parse = ru.ru_maxrss;
    faults_parse = ru.ru_minflt - faults_parse;
    for (p = 0; ndjson && p < passes; p++) {
        double hm;
        double hw;
        double ha;
        double t = run_ours(
            dl, true, &features, &errors, &out_bytes, &hm, &hw, &ha, &w);

        if (t < t_ndjson) {
            t_ndjson = t;
            w_ndjson = w;
        }
    }
    mb = (double)bytes / 1e6;
    printf("corpus: %zu files, %.1f MB, %zu lines, %zu features, %zu with "
           "parse errors (best of %d passes; CPU time of the process, wall "
           "time of the same pass in brackets; %s ids; sources borrowed, "
           "not copied: LB_GHERKIN_BORROW_SOURCE)\n",
           files.len,
           mb,
           lines,
           features,
           errors,
           passes,
           uuid_ids ? "UUID" : "predictable");
    printf("  baseline read + count newlines: %8.1f MB/s  [wall %8.1f MB/s]\n",
           mb / t_base,
           mb / w_base);
    printf("  logos-bdd parse + pickles:      %8.1f MB/s  [wall %8.1f MB/s]  "
           "%.0f features/s  (%.2fx the baseline's CPU time; user %.2f s, "
           "system %.2f s over %d passes; every pickle made, checksum "
           "%016llx)\n",
           mb / t_parse,
           mb / w_parse,
           (double)features / t_parse,
           t_parse / t_base,
           u1 - u0,
           s1 - s0,
           passes,
           (unsigned long long)sum_parse);
    if (passes > 1)
        printf("    its first pass:               %8.1f MB/s  (user %.2f s, "
               "system %.2f s: on a heap not yet faulted in; every pass "
               "maps a big document's blocks afresh, and the system time "
               "is mostly the kernel's faults, more when the VM's host "
               "must back the memory)\n",
               mb / t_first,
               u_first,
               s_first);
    if (ndjson)
        printf("  logos-bdd + NDJSON envelopes:   %8.1f MB/s  [wall %8.1f "
               "MB/s]  (%.1f MB of NDJSON)\n",
               mb / t_ndjson,
               mb / w_ndjson,
               (double)out_bytes / 1e6);
    printf("  memory: %.2f MB of heap per MB of input at the peak of parse + "
           "pickles (largest file; the source is borrowed: a copy would add "
           "1 MB per MB; all files: sum of the peaks / sum of the sizes %.2f; "
           "worst file "
           "%.2f); peak RSS after the parse passes %.1f MB (the bench holds "
           "the %.1f MB of inputs); %.0f page faults per MB parsed\n",
           heap_per_mb,
           heap_all,
           heap_worst,
           (double)rss_parse / 1024.0,
           mb,
           (double)faults_parse / (mb * passes));
    if (scaling)
        print_scaling(dl);
    if (ref != NULL) {
        js = run_ref(ref, passes);
        if (js > 0)
            printf("  ratio (wall clock, the reference's only figure): "
                   "logos-bdd parse + pickles %.1f MB/s = %.1fx the official "
                   "JS parser\n",
                   mb / w_parse,
                   (mb / w_parse) / js);
        else
            printf("  official JS parser: not available (node or %s)\n", ref);
    }
    for (i = 0; i < (int)files.len; i++) {
        lb_buf_release(&files.items[i].data);
        lb_free(files.items[i].path);
    }
    lb_vec_release(&files);
    lb_gherkin_dialects_free(dl);
    return 0;
}
