/*
 * The memory floor of a refnode process: a program linked with the same
 * libraries as refnode (libmicrohttpd, libyaml, jansson, OpenSSL libcrypto)
 * that initialises them the way refnode does and then does nothing.
 * bench_rn_idle runs it beside the nodes and prints its RSS and PSS: whatever a
 * node holds above this is refnode's own.
 *
 * What it initialises, as refnode does: OpenSSL with the same lean
 * options, one request of OpenSSL's HTTP client set up on a socket BIO
 * (refnode's peer client, node/http.c), three libmicrohttpd listeners on
 * loopback, one Ed25519 key with a signature and its verification, one
 * SHA-256, one YAML and one JSON document parsed. Then it waits for a
 * signal.
 *
 *   build/bench_rn_floor     (prints "ready" once idle)
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <yaml.h>

static enum MHD_Result on_request(void *cls,
                                  struct MHD_Connection *c,
                                  const char *url,
                                  const char *method,
                                  const char *version,
                                  const char *upload,
                                  size_t *upload_size,
                                  void **con_cls)
{
    (void)cls;
    (void)c;
    (void)url;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)con_cls;
    return MHD_NO;
}

static struct MHD_Daemon *listen_loopback(void)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return MHD_start_daemon(0,
                            0,
                            NULL,
                            NULL,
                            on_request,
                            NULL,
                            MHD_OPTION_SOCK_ADDR,
                            &sin,
                            MHD_OPTION_END);
}

static int crypto_once(void)
{
    unsigned char seed[32] = {1}, sig[64], md[32];
    unsigned int mdlen = 32;
    size_t siglen = sizeof(sig);
    EVP_PKEY *k =
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    EVP_MD_CTX *s = EVP_MD_CTX_new(), *v = EVP_MD_CTX_new();
    int ok = k != NULL && s != NULL && v != NULL &&
             EVP_Digest(seed, 32, md, &mdlen, EVP_sha256(), NULL) == 1 &&
             EVP_DigestSignInit(s, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestSign(s, sig, &siglen, md, 32) == 1 &&
             EVP_DigestVerifyInit(v, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestVerify(v, sig, siglen, md, 32) == 1;

    EVP_MD_CTX_free(s);
    EVP_MD_CTX_free(v);
    EVP_PKEY_free(k);
    return ok ? 0 : -1;
}

static int parse_once(void)
{
    static const char doc[] = "node:\n  name: floor\npeers: [a, b]\n";
    yaml_parser_t p;
    yaml_document_t d;
    json_t *j = json_loads("{\"a\":[1,2,{\"b\":\"c\"}]}", 0, NULL);
    int ok;

    if (!yaml_parser_initialize(&p))
        return -1;
    yaml_parser_set_input_string(
        &p, (const unsigned char *)doc, sizeof(doc) - 1);
    ok = yaml_parser_load(&p, &d);
    if (ok)
        yaml_document_delete(&d);
    yaml_parser_delete(&p);
    ok = ok && j != NULL;
    json_decref(j);
    return ok ? 0 : -1;
}

/*
 * An HTTP request set up as refnode's client does (a buffered socket BIO,
 * a header stack, a JSON body), over a socket pair: nothing is sent.
 */
static int http_once(void)
{
    STACK_OF(CONF_VALUE) *hdrs = NULL;
    static char body[] = "{}";
    BIO *sock, *buf, *req;
    OSSL_HTTP_REQ_CTX *rctx = NULL;
    int sv[2], ok;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    sock = BIO_new_socket(sv[0], BIO_CLOSE);
    buf = BIO_new(BIO_f_buffer());
    req = BIO_new_mem_buf(body, 2);
    ok = sock != NULL && buf != NULL && req != NULL &&
         BIO_push(buf, sock) != NULL &&
         X509V3_add_value("X-Rn-From", "127.0.0.1:1", &hdrs) == 1 &&
         (rctx = OSSL_HTTP_open(
              "127.0.0.1", "1", NULL, NULL, 0, buf, buf, NULL, NULL, 0, 0)) !=
             NULL &&
         OSSL_HTTP_set1_request(rctx,
                                "/net/hello",
                                hdrs,
                                "application/json",
                                req,
                                NULL,
                                0,
                                (size_t)64 << 20,
                                0,
                                1) == 1;
    OSSL_HTTP_REQ_CTX_free(rctx);
    BIO_free(req);
    if (buf != NULL)
        BIO_free_all(buf);
    else
        BIO_free(sock);
    sk_CONF_VALUE_pop_free(hdrs, X509V3_conf_free);
    (void)close(sv[1]);
    return ok ? 0 : -1;
}

int main(void)
{
    struct MHD_Daemon *d[3];
    int i;

    (void)OPENSSL_init_crypto(
        OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
            OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
        NULL);
    for (i = 0; i < 3; i++)
        d[i] = listen_loopback();
    if (d[0] == NULL || d[1] == NULL || d[2] == NULL || crypto_once() != 0 ||
        parse_once() != 0 || http_once() != 0)
    {
        (void)fputs("bench_rn_floor: cannot initialise the libraries\n",
                    stderr);
        return 1;
    }
    (void)puts("ready");
    (void)fflush(stdout);
    (void)pause(); /* until the bench kills it */
    return 0;
}
