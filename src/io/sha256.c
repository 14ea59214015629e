/* SHA-256 (FIPS 180-4), so a manifest can pin the exact scenario file a run used. */
#include "qisim/io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { SHA256_BLOCK_BYTES = 64, FILE_READ_CHUNK = 64 * 1024 };

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (recomputed with integer roots when this file was written). */
static const uint32_t round_constants[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u,
    0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u,
    0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u,
    0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* FIPS 180-4 §5.3.3: fractional parts of the square roots of the first 8 primes. */
static const uint32_t initial_hash[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

/* Streaming state, so a file can be hashed without holding it in memory. */
typedef struct sha256_state {
    uint32_t hash[8];
    uint64_t total_bytes;
    uint8_t pending[SHA256_BLOCK_BYTES]; /* a partial block waiting for more input */
    size_t n_pending;
} sha256_state;

static inline uint32_t rotate_right(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static inline uint32_t choose(uint32_t x, uint32_t y, uint32_t z)
{
    return (x & y) ^ (~x & z);
}

static inline uint32_t majority(uint32_t x, uint32_t y, uint32_t z)
{
    return (x & y) ^ (x & z) ^ (y & z);
}

static inline uint32_t big_sigma0(uint32_t x)
{
    return rotate_right(x, 2) ^ rotate_right(x, 13) ^ rotate_right(x, 22);
}

static inline uint32_t big_sigma1(uint32_t x)
{
    return rotate_right(x, 6) ^ rotate_right(x, 11) ^ rotate_right(x, 25);
}

static inline uint32_t small_sigma0(uint32_t x)
{
    return rotate_right(x, 7) ^ rotate_right(x, 18) ^ (x >> 3);
}

static inline uint32_t small_sigma1(uint32_t x)
{
    return rotate_right(x, 17) ^ rotate_right(x, 19) ^ (x >> 10);
}

/* The message is big-endian by definition, whatever the host's byte order. */
static inline uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)(x >> 24);
    p[1] = (uint8_t)(x >> 16);
    p[2] = (uint8_t)(x >> 8);
    p[3] = (uint8_t)x;
}

/* FIPS 180-4 §6.2.2, one 512-bit block. */
static void compress_block(uint32_t hash[8], const uint8_t block[SHA256_BLOCK_BYTES])
{
    uint32_t schedule[64];
    for (int t = 0; t < 16; t++)
        schedule[t] = load_be32(block + 4 * t);
    for (int t = 16; t < 64; t++)
        schedule[t] = small_sigma1(schedule[t - 2]) + schedule[t - 7] + small_sigma0(schedule[t - 15])
                      + schedule[t - 16];

    uint32_t a = hash[0], b = hash[1], c = hash[2], d = hash[3];
    uint32_t e = hash[4], f = hash[5], g = hash[6], h = hash[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = h + big_sigma1(e) + choose(e, f, g) + round_constants[t] + schedule[t];
        uint32_t t2 = big_sigma0(a) + majority(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    hash[0] += a;
    hash[1] += b;
    hash[2] += c;
    hash[3] += d;
    hash[4] += e;
    hash[5] += f;
    hash[6] += g;
    hash[7] += h;
}

static void sha256_begin(sha256_state *s)
{
    memcpy(s->hash, initial_hash, sizeof s->hash);
    s->total_bytes = 0;
    s->n_pending = 0;
}

static void sha256_absorb(sha256_state *s, const uint8_t *data, size_t n)
{
    if (n == 0)
        return; /* data may then be NULL, which memcpy must not see */
    s->total_bytes += n;
    if (s->n_pending > 0) {
        size_t take = SHA256_BLOCK_BYTES - s->n_pending;
        if (take > n)
            take = n;
        memcpy(s->pending + s->n_pending, data, take);
        s->n_pending += take;
        data += take;
        n -= take;
        if (s->n_pending < SHA256_BLOCK_BYTES)
            return;
        compress_block(s->hash, s->pending);
        s->n_pending = 0;
    }
    for (; n >= SHA256_BLOCK_BYTES; data += SHA256_BLOCK_BYTES, n -= SHA256_BLOCK_BYTES)
        compress_block(s->hash, data);
    memcpy(s->pending, data, n);
    s->n_pending = n;
}

/* FIPS 180-4 §5.1.1: a 1 bit, zeros, then the message length in bits as 64 big-endian bits,
 * filling out a whole number of blocks. */
static void sha256_finish(sha256_state *s, uint8_t digest[32])
{
    uint64_t total_bits = s->total_bytes * 8u;
    uint8_t padding[2 * SHA256_BLOCK_BYTES] = {0x80};
    size_t pad_len = (s->n_pending < 56 ? 56 : 120) - s->n_pending;
    uint8_t length_be[8];
    for (int i = 0; i < 8; i++)
        length_be[i] = (uint8_t)(total_bits >> (56 - 8 * i));

    sha256_absorb(s, padding, pad_len);
    sha256_absorb(s, length_be, sizeof length_be);
    for (int i = 0; i < 8; i++)
        store_be32(digest + 4 * i, s->hash[i]);
}

void qisim_sha256(const void *data, size_t n, uint8_t digest[32])
{
    sha256_state s;
    sha256_begin(&s);
    sha256_absorb(&s, data, n);
    sha256_finish(&s, digest);
}

int qisim_sha256_file(const char *path, char hex[65], qisim_err *err)
{
    static const char hex_digits[] = "0123456789abcdef";
    hex[0] = '\0';

    /* a FIFO would block the open and /dev/zero never ends: only regular files are hashed */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return qisim_err_set(err, QISIM_EINVAL, "cannot hash %s: not a regular file", path);

    /* On the heap: 64 KiB is too much for the small stacks of worker threads. */
    uint8_t *chunk = malloc(FILE_READ_CHUNK);
    if (!chunk)
        return qisim_err_set(err, QISIM_ENOMEM, "cannot hash %s: out of memory", path);

    FILE *fp = fopen(path, "rb");
    if (!fp) {
        int saved = errno;
        free(chunk);
        return qisim_err_set(err, QISIM_EIO, "cannot read %s: %s", path, strerror(saved));
    }

    sha256_state s;
    sha256_begin(&s);
    size_t got;
    errno = 0; /* fread need not set errno, so a stale value must not be reported */
    while ((got = fread(chunk, 1, FILE_READ_CHUNK, fp)) > 0)
        sha256_absorb(&s, chunk, got);
    int read_errno = ferror(fp) ? (errno ? errno : EIO) : 0;
    fclose(fp);
    free(chunk);
    if (read_errno)
        return qisim_err_set(err, QISIM_EIO, "cannot read %s: %s", path, strerror(read_errno));

    uint8_t digest[32];
    sha256_finish(&s, digest);
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = hex_digits[digest[i] >> 4];
        hex[2 * i + 1] = hex_digits[digest[i] & 0x0f];
    }
    hex[64] = '\0';
    return QISIM_OK;
}
