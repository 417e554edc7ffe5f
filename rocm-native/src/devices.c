/*
 * Device lists, partition-mode parsing and the sysfs scan.
 *
 * amdgpu publishes, on the PCI device of each GPU:
 *   current_compute_partition    "SPX\n"
 *   available_compute_partition  "SPX, DPX, QPX, CPX\n"
 *   current_memory_partition     "NPS1\n"
 *   available_memory_partition   "NPS1, NPS4\n"
 * and creates up to 7 extra DRM nodes per GPU for compute partitions
 * (amdgpu_xcp.c); their `device` link points at a platform device named
 * amdgpu_xcp_N (amdgpu_xcp.N on older kernels), which has no partition files.
 */
#include "internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AIM_SYSFS_MAX_FILE 4096
#define AIM_AMD_VENDOR_ID 0x1002u

/* ---- device lists ----------------------------------------------------- */

aim_gpu_device_list *aim_device_list_new(void)
{
    return calloc(1, sizeof(aim_gpu_device_list));
}

aim_gpu_device_info *aim_device_list_append(aim_gpu_device_list *list)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        aim_gpu_device_info *items = realloc(list->items, cap * sizeof *items);
        if (items == NULL) {
            return NULL;
        }
        list->items = items;
        list->capacity = cap;
    }
    aim_gpu_device_info *d = &list->items[list->count];
    memset(d, 0, sizeof *d);
    d->index = (int)list->count;
    d->parent_index = -1;
    list->count++;
    return d;
}

size_t aim_gpu_device_list_count(const aim_gpu_device_list *list)
{
    return list ? list->count : 0;
}

aim_gpu_status aim_gpu_device_list_get(const aim_gpu_device_list *list, size_t index,
                                       aim_gpu_device_info *out)
{
    if (list == NULL || out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "list or out is NULL");
    }
    if (index >= list->count) {
        return aim_set_error(AIM_GPU_ERR_NO_DEVICE, "index %zu >= count %zu", index, list->count);
    }
    *out = list->items[index];
    return AIM_GPU_OK;
}

void aim_gpu_device_list_free(aim_gpu_device_list *list)
{
    if (list != NULL) {
        free(list->items);
        free(list);
    }
}

aim_gpu_status aim_gpu_device_scan(aim_gpu_backend backend, aim_gpu_device_list **out)
{
    if (out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "out is NULL");
    }
    *out = NULL;
    if ((int)backend < 0 || backend >= AIM_GPU_BACKEND_COUNT) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown backend %d", (int)backend);
    }
    const aim_backend_ops *ops = aim_backend_ops_for(backend);
    if (ops == NULL) {
        return aim_set_error(AIM_GPU_ERR_BACKEND_UNAVAILABLE,
                             "%s backend not compiled into this libaimgpu build",
                             aim_gpu_backend_name(backend));
    }
    return ops->scan(out);
}

/* ---- mode names and parsing ----------------------------------------- */

static const char *const k_compute_names[] = {
    [AIM_GPU_COMPUTE_NONE] = "NONE", [AIM_GPU_COMPUTE_SPX] = "SPX", [AIM_GPU_COMPUTE_DPX] = "DPX",
    [AIM_GPU_COMPUTE_TPX] = "TPX",   [AIM_GPU_COMPUTE_QPX] = "QPX", [AIM_GPU_COMPUTE_CPX] = "CPX",
};

const char *aim_gpu_compute_partition_name(aim_gpu_compute_partition mode)
{
    if ((int)mode < 0 || (size_t)mode >= sizeof k_compute_names / sizeof k_compute_names[0]) {
        return NULL;
    }
    return k_compute_names[mode];
}

const char *aim_gpu_memory_partition_name(aim_gpu_memory_partition mode)
{
    switch (mode) {
    case AIM_GPU_MEMORY_NONE:
        return "NONE";
    case AIM_GPU_MEMORY_NPS1:
        return "NPS1";
    case AIM_GPU_MEMORY_NPS2:
        return "NPS2";
    case AIM_GPU_MEMORY_NPS3:
        return "NPS3";
    case AIM_GPU_MEMORY_NPS4:
        return "NPS4";
    case AIM_GPU_MEMORY_NPS6:
        return "NPS6";
    case AIM_GPU_MEMORY_NPS8:
        return "NPS8";
    default:
        return NULL;
    }
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int token_equals(const char *tok, size_t len, const char *name)
{
    size_t n = strlen(name);
    if (len != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (toupper((unsigned char)tok[i]) != name[i]) {
            return 0;
        }
    }
    return 1;
}

/* Returns the mode value, or -1 if the token is not a known mode. */
static int compute_from_token(const char *tok, size_t len)
{
    for (int m = AIM_GPU_COMPUTE_SPX; m <= AIM_GPU_COMPUTE_CPX; m++) {
        if (token_equals(tok, len, k_compute_names[m])) {
            return m;
        }
    }
    return -1;
}

static int memory_from_token(const char *tok, size_t len)
{
    static const aim_gpu_memory_partition modes[] = {
        AIM_GPU_MEMORY_NPS1, AIM_GPU_MEMORY_NPS2, AIM_GPU_MEMORY_NPS3,
        AIM_GPU_MEMORY_NPS4, AIM_GPU_MEMORY_NPS6, AIM_GPU_MEMORY_NPS8,
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (token_equals(tok, len, aim_gpu_memory_partition_name(modes[i]))) {
            return (int)modes[i];
        }
    }
    return -1;
}

typedef int (*token_decoder)(const char *tok, size_t len);

/* Common shape checks: bounded length, no NUL bytes. */
static aim_gpu_status check_text(const char *text, size_t len)
{
    if (text == NULL && len != 0) {
        return AIM_GPU_ERR_INVALID_ARGUMENT;
    }
    if (len > AIM_SYSFS_MAX_FILE) {
        return AIM_GPU_ERR_SYSFS_PARSE;
    }
    if (len > 0 && memchr(text, '\0', len) != NULL) {
        return AIM_GPU_ERR_SYSFS_PARSE;
    }
    return AIM_GPU_OK;
}

static aim_gpu_status parse_single(const char *text, size_t len, token_decoder decode, int *out)
{
    aim_gpu_status st = check_text(text, len);
    if (st != AIM_GPU_OK) {
        return aim_set_error(st, "partition value too long, NUL byte, or NULL text");
    }
    size_t b = 0, e = len;
    while (b < e && is_blank(text[b])) {
        b++;
    }
    while (e > b && is_blank(text[e - 1])) {
        e--;
    }
    if (b == e) {
        return aim_set_error(AIM_GPU_ERR_SYSFS_PARSE, "empty partition value");
    }
    int m = decode(text + b, e - b);
    if (m < 0) {
        return aim_set_error(AIM_GPU_ERR_SYSFS_PARSE, "unknown partition mode '%.*s'",
                             (int)((e - b) > 32 ? 32 : (e - b)), text + b);
    }
    *out = m;
    return AIM_GPU_OK;
}

static aim_gpu_status parse_list(const char *text, size_t len, token_decoder decode,
                                 uint32_t *mask_out)
{
    aim_gpu_status st = check_text(text, len);
    if (st != AIM_GPU_OK) {
        return aim_set_error(st, "partition list too long, NUL byte, or NULL text");
    }
    uint32_t mask = 0;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && text[i] != ',') {
            i++;
        }
        size_t b = start, e = i;
        while (b < e && is_blank(text[b])) {
            b++;
        }
        while (e > b && is_blank(text[e - 1])) {
            e--;
        }
        if (e > b) {
            int m = decode(text + b, e - b);
            if (m < 0) {
                return aim_set_error(AIM_GPU_ERR_SYSFS_PARSE,
                                     "unknown partition mode '%.*s' in list",
                                     (int)((e - b) > 32 ? 32 : (e - b)), text + b);
            }
            mask |= AIM_GPU_MODE_BIT(m);
        }
        i++; /* skip the comma */
    }
    if (mask == 0) {
        return aim_set_error(AIM_GPU_ERR_SYSFS_PARSE, "empty partition list");
    }
    *mask_out = mask;
    return AIM_GPU_OK;
}

aim_gpu_status aim_gpu_parse_compute_partition(const char *text, size_t len,
                                               aim_gpu_compute_partition *out)
{
    if (out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "out is NULL");
    }
    int m = 0;
    aim_gpu_status st = parse_single(text, len, compute_from_token, &m);
    if (st == AIM_GPU_OK) {
        *out = (aim_gpu_compute_partition)m;
    }
    return st;
}

aim_gpu_status aim_gpu_parse_compute_partition_list(const char *text, size_t len,
                                                    uint32_t *mask_out)
{
    if (mask_out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "mask_out is NULL");
    }
    return parse_list(text, len, compute_from_token, mask_out);
}

aim_gpu_status aim_gpu_parse_memory_partition(const char *text, size_t len,
                                              aim_gpu_memory_partition *out)
{
    if (out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "out is NULL");
    }
    int m = 0;
    aim_gpu_status st = parse_single(text, len, memory_from_token, &m);
    if (st == AIM_GPU_OK) {
        *out = (aim_gpu_memory_partition)m;
    }
    return st;
}

aim_gpu_status aim_gpu_parse_memory_partition_list(const char *text, size_t len,
                                                   uint32_t *mask_out)
{
    if (mask_out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "mask_out is NULL");
    }
    return parse_list(text, len, memory_from_token, mask_out);
}

/* ---- sysfs scan ------------------------------------------------------- */

/*
 * Reads a small sysfs file into buf (NUL-terminated). Returns the byte count,
 * -1 if the file does not exist / cannot be opened, -2 if it is larger than
 * the buffer (never truncated silently).
 */
static ssize_t read_small_file(const char *path, char *buf, size_t buf_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    size_t total = 0;
    for (;;) {
        if (total == buf_size - 1) {
            char extra;
            ssize_t r = read(fd, &extra, 1);
            close(fd);
            if (r > 0) {
                return -2;
            }
            break;
        }
        ssize_t r = read(fd, buf + total, buf_size - 1 - total);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            close(fd);
            return -1;
        }
        if (r == 0) {
            close(fd);
            break;
        }
        total += (size_t)r;
    }
    buf[total] = '\0';
    return (ssize_t)total;
}

static int join_path(char *out, size_t out_size, const char *a, const char *b)
{
    int n = snprintf(out, out_size, "%s/%s", a, b);
    return (n < 0 || (size_t)n >= out_size) ? -1 : 0;
}

/* Parses "0x1002\n"-style hex ids; -1 if absent or malformed. */
static long read_hex_id(const char *dir, const char *name)
{
    char path[PATH_MAX];
    char buf[64];
    if (join_path(path, sizeof path, dir, name) != 0) {
        return -1;
    }
    ssize_t n = read_small_file(path, buf, sizeof buf);
    if (n <= 0) {
        return -1;
    }
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(buf, &end, 16);
    if (errno != 0 || end == buf || v > 0xffffffUL) {
        return -1;
    }
    while (*end != '\0' && is_blank(*end)) {
        end++;
    }
    return *end == '\0' ? (long)v : -1;
}

static uint64_t read_u64_decimal(const char *dir, const char *name)
{
    char path[PATH_MAX];
    char buf[64];
    if (join_path(path, sizeof path, dir, name) != 0) {
        return 0;
    }
    ssize_t n = read_small_file(path, buf, sizeof buf);
    if (n <= 0 || buf[0] == '-') {
        return 0;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (errno != 0 || end == buf) {
        return 0;
    }
    while (*end != '\0' && is_blank(*end)) {
        end++;
    }
    return *end == '\0' ? (uint64_t)v : 0;
}

typedef struct partition_read {
    int present;         /* number of the four files that exist */
    aim_gpu_status status;
} partition_read;

/* Reads one partition file; leaves the field untouched if absent. */
static void read_partition_file(const char *dir, const char *name, partition_read *pr,
                                aim_gpu_status (*apply)(aim_gpu_device_info *, const char *, size_t),
                                aim_gpu_device_info *d)
{
    char path[PATH_MAX];
    char buf[AIM_SYSFS_MAX_FILE + 1];
    if (join_path(path, sizeof path, dir, name) != 0) {
        return;
    }
    ssize_t n = read_small_file(path, buf, sizeof buf);
    if (n == -1) {
        return;
    }
    pr->present++;
    aim_gpu_status st = (n == -2) ? AIM_GPU_ERR_SYSFS_PARSE : apply(d, buf, (size_t)n);
    if (st != AIM_GPU_OK && pr->status == AIM_GPU_OK) {
        pr->status = AIM_GPU_ERR_SYSFS_PARSE;
    }
}

static aim_gpu_status apply_compute_current(aim_gpu_device_info *d, const char *t, size_t n)
{
    return aim_gpu_parse_compute_partition(t, n, &d->compute_current);
}

static aim_gpu_status apply_compute_available(aim_gpu_device_info *d, const char *t, size_t n)
{
    return aim_gpu_parse_compute_partition_list(t, n, &d->compute_available);
}

static aim_gpu_status apply_memory_current(aim_gpu_device_info *d, const char *t, size_t n)
{
    return aim_gpu_parse_memory_partition(t, n, &d->memory_current);
}

static aim_gpu_status apply_memory_available(aim_gpu_device_info *d, const char *t, size_t n)
{
    return aim_gpu_parse_memory_partition_list(t, n, &d->memory_available);
}

/* Returns N for "cardN" with only digits after "card", else -1. */
static int card_number(const char *name)
{
    if (strncmp(name, "card", 4) != 0 || name[4] == '\0') {
        return -1;
    }
    long v = 0;
    for (const char *p = name + 4; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return -1;
        }
        v = v * 10 + (*p - '0');
        if (v > 1000000) {
            return -1;
        }
    }
    return (int)v;
}

static int compare_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void read_name(const char *dev_dir, long device_id, aim_gpu_device_info *d)
{
    char path[PATH_MAX];
    char buf[AIM_GPU_NAME_MAX];
    if (join_path(path, sizeof path, dev_dir, "product_name") == 0) {
        ssize_t n = read_small_file(path, buf, sizeof buf);
        if (n > 0) {
            while (n > 0 && is_blank(buf[n - 1])) {
                buf[--n] = '\0';
            }
            if (n > 0 && memchr(buf, '\0', (size_t)n) == NULL) {
                aim_copy_string(d->name, sizeof d->name, buf);
                return;
            }
        }
    }
    if (device_id >= 0) {
        snprintf(d->name, sizeof d->name, "AMD GPU 1002:%04lx", (unsigned long)device_id);
    } else {
        aim_copy_string(d->name, sizeof d->name, "AMD GPU");
    }
}

static aim_gpu_status scan_card(const char *drm_dir, int card, aim_gpu_device_list *list,
                                int *last_physical)
{
    char card_dir[PATH_MAX];
    char dev_dir[PATH_MAX];
    char name[32];
    snprintf(name, sizeof name, "card%d", card);
    if (join_path(card_dir, sizeof card_dir, drm_dir, name) != 0 ||
        join_path(dev_dir, sizeof dev_dir, card_dir, "device") != 0) {
        return AIM_GPU_OK; /* path too long: not a card we can read */
    }
    char resolved[PATH_MAX];
    const char *target = realpath(dev_dir, resolved) ? basename_of(resolved) : "";

    if (strncmp(target, "amdgpu_xcp", 10) == 0) {
        aim_gpu_device_info *d = aim_device_list_append(list);
        if (d == NULL) {
            return AIM_GPU_ERR_OUT_OF_MEMORY;
        }
        d->card = card;
        d->kind = AIM_GPU_NODE_PARTITION;
        d->parent_index = *last_physical;
        if (*last_physical >= 0) {
            const aim_gpu_device_info *parent = &list->items[*last_physical];
            int siblings = 0;
            for (size_t i = (size_t)*last_physical + 1; i + 1 < list->count; i++) {
                siblings += list->items[i].parent_index == *last_physical;
            }
            d->partition_id = siblings + 1;
            d->compute_current = parent->compute_current;
            d->compute_available = parent->compute_available;
            d->memory_current = parent->memory_current;
            d->memory_available = parent->memory_available;
            d->partition_status = parent->partition_status;
            snprintf(d->name, sizeof d->name, "%.70s partition %d (%.24s)", parent->name,
                     d->partition_id, target);
        } else {
            d->partition_id = 1;
            d->partition_status = AIM_GPU_ERR_NOT_SUPPORTED;
            snprintf(d->name, sizeof d->name, "amdgpu partition node (%.40s)", target);
        }
        return AIM_GPU_OK;
    }

    long vendor = read_hex_id(dev_dir, "vendor");
    if (vendor != (long)AIM_AMD_VENDOR_ID) {
        return AIM_GPU_OK; /* ASPEED BMC, NVIDIA, unreadable: not ours */
    }
    aim_gpu_device_info *d = aim_device_list_append(list);
    if (d == NULL) {
        return AIM_GPU_ERR_OUT_OF_MEMORY;
    }
    d->card = card;
    d->kind = AIM_GPU_NODE_PHYSICAL;
    d->partition_id = 0;
    aim_copy_string(d->bus_id, sizeof d->bus_id, target);
    read_name(dev_dir, read_hex_id(dev_dir, "device"), d);
    d->total_memory_bytes = read_u64_decimal(dev_dir, "mem_info_vram_total");

    partition_read pr = {0, AIM_GPU_OK};
    read_partition_file(dev_dir, "current_compute_partition", &pr, apply_compute_current, d);
    read_partition_file(dev_dir, "available_compute_partition", &pr, apply_compute_available, d);
    read_partition_file(dev_dir, "current_memory_partition", &pr, apply_memory_current, d);
    read_partition_file(dev_dir, "available_memory_partition", &pr, apply_memory_available, d);
    d->partition_status = pr.present == 0 ? AIM_GPU_ERR_NOT_SUPPORTED : pr.status;
    *last_physical = d->index;
    return AIM_GPU_OK;
}

aim_gpu_status aim_gpu_sysfs_scan(const char *sysfs_root, aim_gpu_device_list **out)
{
    if (out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "out is NULL");
    }
    *out = NULL;
    const char *root = sysfs_root;
    if (root == NULL || root[0] == '\0') {
        root = getenv("AIM_GPU_SYSFS_ROOT");
    }
    if (root == NULL || root[0] == '\0') {
        root = "/sys";
    }
    struct stat st;
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return aim_set_error(AIM_GPU_ERR_IO, "sysfs root '%s' is not a readable directory", root);
    }
    char drm_dir[PATH_MAX];
    if (join_path(drm_dir, sizeof drm_dir, root, "class/drm") != 0) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "sysfs root path too long");
    }
    aim_gpu_device_list *list = aim_device_list_new();
    if (list == NULL) {
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "device list allocation failed");
    }
    DIR *dir = opendir(drm_dir);
    if (dir == NULL) {
        if (errno == ENOENT) {
            *out = list; /* no DRM devices at all */
            return AIM_GPU_OK;
        }
        aim_gpu_device_list_free(list);
        return aim_set_error(AIM_GPU_ERR_IO, "cannot open '%s'", drm_dir);
    }
    int *cards = NULL;
    size_t n_cards = 0, cap = 0;
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        int n = card_number(ent->d_name);
        if (n < 0) {
            continue; /* renderD128, card0-DP-1, version, ... */
        }
        if (n_cards == cap) {
            size_t new_cap = cap ? cap * 2 : 16;
            int *grown = realloc(cards, new_cap * sizeof *grown);
            if (grown == NULL) {
                free(cards);
                closedir(dir);
                aim_gpu_device_list_free(list);
                return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "card list allocation failed");
            }
            cards = grown;
            cap = new_cap;
        }
        cards[n_cards++] = n;
    }
    closedir(dir);
    if (n_cards > 1) {
        qsort(cards, n_cards, sizeof *cards, compare_int);
    }
    int last_physical = -1;
    for (size_t i = 0; i < n_cards; i++) {
        if (scan_card(drm_dir, cards[i], list, &last_physical) != AIM_GPU_OK) {
            free(cards);
            aim_gpu_device_list_free(list);
            return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "device list allocation failed");
        }
    }
    free(cards);
    *out = list;
    return AIM_GPU_OK;
}
