/*
 * The memory floor of a refnode process: a program linked with the same
 * libraries as refnode (libmicrohttpd, libcurl, libyaml, jansson, OpenSSL
 * libcrypto) that initialises them the way refnode does and then does
 * nothing. bench_rn_idle runs it beside the nodes and prints its RSS and
 * PSS: whatever a node holds above this is refnode's own.
 *
 * What it initialises, as refnode does: OpenSSL with the same lean
 * options, curl_global_init, a curl multi handle with one easy handle,
 * three libmicrohttpd listeners on loopback, one Ed25519 key with a
 * signature and its verification, one SHA-256, one YAML and one JSON
 * document parsed. Then it waits for a signal.
 *
 *   build/bench_rn_floor     (prints "ready" once idle)
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
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

int main(void)
{
    struct MHD_Daemon *d[3];
    CURLM *m;
    CURL *e;
    int i;

    (void)OPENSSL_init_crypto(
        OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
            OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
        NULL);
    if (curl_global_init(CURL_GLOBAL_NOTHING) != CURLE_OK)
        return 1;
    m = curl_multi_init();
    e = curl_easy_init();
    for (i = 0; i < 3; i++)
        d[i] = listen_loopback();
    if (m == NULL || e == NULL || d[0] == NULL || d[1] == NULL ||
        d[2] == NULL || crypto_once() != 0 || parse_once() != 0)
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
