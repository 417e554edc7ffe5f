/*
 * Partition discovery against fake sysfs trees built in a mkdtemp directory.
 * The trees mirror the real layout: /sys/class/drm/cardN is a link into
 * /sys/devices/..., cardN/device links to the PCI function (which carries the
 * partition files) or, for amdgpu's extra partition nodes, to a platform
 * device amdgpu_xcp_N without them. Connector entries (card0-DP-1), render
 * nodes and non-AMD cards sit beside them, as on a real server.
 */
#include "harness.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_tmp[1024];

/* snprintf into an array, aborting on truncation (test paths are short). */
#define FMT(buf, ...)                                                                      \
    do {                                                                                   \
        int fmt_n_ = snprintf((buf), sizeof(buf), __VA_ARGS__);                            \
        if (fmt_n_ < 0 || (size_t)fmt_n_ >= sizeof(buf)) {                                 \
            fprintf(stderr, "path too long\n");                                            \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

static void mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    FMT(buf, "%s", path);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

static void write_bytes(const char *dir, const char *name, const char *data, size_t len)
{
    char path[PATH_MAX];
    FMT(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    fwrite(data, 1, len, f);
    fclose(f);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    write_bytes(dir, name, text, strlen(text));
}

static void link_to(const char *target, const char *linkpath)
{
    if (symlink(target, linkpath) != 0) {
        fprintf(stderr, "symlink %s -> %s: %s\n", linkpath, target, strerror(errno));
        exit(2);
    }
}

/* Creates a fresh root under the temp dir and returns its path in out. */
static void new_root(const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", g_tmp, name);
    char drm[PATH_MAX];
    FMT(drm, "%s/class/drm", out);
    mkdir_p(drm);
    char platform[PATH_MAX];
    FMT(platform, "%s/devices/platform", out);
    mkdir_p(platform);
    write_text(drm, "version", "drm 1.1.0 20060810\n");
}

typedef struct gpu_files {
    const char *vendor, *device, *product_name, *vram_total;
    const char *compute_current, *compute_available, *memory_current, *memory_available;
} gpu_files;

/* A PCI GPU at bdf with DRM node cardN; writes only the files given. */
static void add_pci_card(const char *root, int card, const char *bdf, const gpu_files *f)
{
    char pci[PATH_MAX], drmdir[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
    FMT(pci, "%s/devices/pci0000:00/0000:00:01.0/%s", root, bdf);
    FMT(drmdir, "%s/drm/card%d", pci, card);
    mkdir_p(drmdir);
    FMT(link, "%s/device", drmdir);
    FMT(target, "../../../%s", bdf);
    link_to(target, link);
    FMT(link, "%s/class/drm/card%d", root, card);
    FMT(target, "../../devices/pci0000:00/0000:00:01.0/%s/drm/card%d", bdf,
             card);
    link_to(target, link);
    /* Connector and render entries that the scan must ignore. */
    char extra[PATH_MAX];
    FMT(extra, "%s/class/drm/card%d-DP-1", root, card);
    mkdir_p(extra);
    FMT(extra, "%s/class/drm/renderD%d", root, 128 + card);
    mkdir_p(extra);
    if (f->vendor) write_text(pci, "vendor", f->vendor);
    if (f->device) write_text(pci, "device", f->device);
    if (f->product_name) write_text(pci, "product_name", f->product_name);
    if (f->vram_total) write_text(pci, "mem_info_vram_total", f->vram_total);
    if (f->compute_current) write_text(pci, "current_compute_partition", f->compute_current);
    if (f->compute_available) write_text(pci, "available_compute_partition", f->compute_available);
    if (f->memory_current) write_text(pci, "current_memory_partition", f->memory_current);
    if (f->memory_available) write_text(pci, "available_memory_partition", f->memory_available);
}

/* An amdgpu partition node: cardN -> platform device `xcp_name`, no partition files. */
static void add_xcp_card(const char *root, int card, const char *xcp_name)
{
    char dev[PATH_MAX], drmdir[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
    FMT(dev, "%s/devices/platform/%s", root, xcp_name);
    FMT(drmdir, "%s/drm/card%d", dev, card);
    mkdir_p(drmdir);
    write_text(dev, "uevent", "DRIVER=amdgpu_xcp_drv\n");
    FMT(link, "%s/device", drmdir);
    FMT(target, "../../../%s", xcp_name);
    link_to(target, link);
    FMT(link, "%s/class/drm/card%d", root, card);
    FMT(target, "../../devices/platform/%s/drm/card%d", xcp_name, card);
    link_to(target, link);
    char render[PATH_MAX];
    FMT(render, "%s/class/drm/renderD%d", root, 128 + card);
    mkdir_p(render);
}

static const gpu_files k_mi300x_spx = {
    "0x1002\n", "0x74a1\n", NULL, "206141652992\n",
    "SPX\n", "SPX, DPX, QPX, CPX\n", "NPS1\n", "NPS1, NPS4\n",
};

static const gpu_files k_mi300x_cpx_nps4 = {
    "0x1002\n", "0x74a1\n", NULL, "206141652992\n",
    "CPX\n", "SPX, DPX, QPX, CPX\n", "NPS4\n", "NPS1, NPS4\n",
};

static const gpu_files k_aspeed_bmc = {"0x1a03\n", "0x2000\n", NULL, NULL, NULL, NULL, NULL, NULL};

static aim_gpu_device_list *scan(const char *root, aim_gpu_status expect)
{
    aim_gpu_device_list *list = NULL;
    CHECK_STATUS(aim_gpu_sysfs_scan(root, &list), expect);
    return list;
}

static aim_gpu_device_info get(const aim_gpu_device_list *list, size_t i)
{
    aim_gpu_device_info d;
    memset(&d, 0, sizeof d);
    CHECK_STATUS(aim_gpu_device_list_get(list, i, &d), AIM_GPU_OK);
    return d;
}

static const uint32_t k_all_mi300x_compute = AIM_GPU_MODE_BIT(AIM_GPU_COMPUTE_SPX) |
                                             AIM_GPU_MODE_BIT(AIM_GPU_COMPUTE_DPX) |
                                             AIM_GPU_MODE_BIT(AIM_GPU_COMPUTE_QPX) |
                                             AIM_GPU_MODE_BIT(AIM_GPU_COMPUTE_CPX);
static const uint32_t k_nps1_nps4 =
    AIM_GPU_MODE_BIT(AIM_GPU_MEMORY_NPS1) | AIM_GPU_MODE_BIT(AIM_GPU_MEMORY_NPS4);

/* ------------------------------------------------------------- trees -- */

static void test_mi300x_spx_nps1_one_card(void)
{
    char root[PATH_MAX];
    new_root("spx", root, sizeof root);
    add_pci_card(root, 0, "0000:02:00.0", &k_aspeed_bmc); /* BMC VGA: skipped */
    add_pci_card(root, 1, "0000:0c:00.0", &k_mi300x_spx);
    aim_gpu_device_list *list = scan(root, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 1);
    if (aim_gpu_device_list_count(list) == 1) {
        aim_gpu_device_info d = get(list, 0);
        CHECK(d.index == 0 && d.card == 1 && d.kind == AIM_GPU_NODE_PHYSICAL);
        CHECK(d.parent_index == -1 && d.partition_id == 0);
        CHECK(strcmp(d.bus_id, "0000:0c:00.0") == 0);
        CHECK(strcmp(d.name, "AMD GPU 1002:74a1") == 0);
        CHECK_EQ_U64(d.total_memory_bytes, 206141652992ull);
        CHECK(d.compute_current == AIM_GPU_COMPUTE_SPX);
        CHECK_EQ_U64(d.compute_available, k_all_mi300x_compute);
        CHECK(d.memory_current == AIM_GPU_MEMORY_NPS1);
        CHECK_EQ_U64(d.memory_available, k_nps1_nps4);
        CHECK_STATUS(d.partition_status, AIM_GPU_OK);
    }
    aim_gpu_device_list_free(list);
}

static void test_mi300x_cpx_nps4_eight_nodes(void)
{
    char root[PATH_MAX];
    new_root("cpx", root, sizeof root);
    add_pci_card(root, 0, "0000:0c:00.0", &k_mi300x_cpx_nps4);
    for (int i = 1; i < 8; i++) {
        char xcp[32];
        FMT(xcp, "amdgpu_xcp_%d", i - 1);
        add_xcp_card(root, i, xcp);
    }
    aim_gpu_device_list *list = scan(root, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 8);
    for (size_t i = 0; i < aim_gpu_device_list_count(list); i++) {
        aim_gpu_device_info d = get(list, i);
        CHECK(d.card == (int)i);
        CHECK(d.compute_current == AIM_GPU_COMPUTE_CPX);
        CHECK(d.memory_current == AIM_GPU_MEMORY_NPS4);
        CHECK_EQ_U64(d.compute_available, k_all_mi300x_compute);
        CHECK_EQ_U64(d.memory_available, k_nps1_nps4);
        CHECK_STATUS(d.partition_status, AIM_GPU_OK);
        if (i == 0) {
            CHECK(d.kind == AIM_GPU_NODE_PHYSICAL && d.parent_index == -1);
        } else {
            CHECK(d.kind == AIM_GPU_NODE_PARTITION);
            CHECK(d.parent_index == 0);
            CHECK(d.partition_id == (int)i);
            CHECK(d.bus_id[0] == '\0');
            CHECK(strstr(d.name, "amdgpu_xcp_") != NULL);
        }
    }
    aim_gpu_device_list_free(list);
}

/* Two GPUs, card numbers past 9: the order is numeric, partitions attach to their GPU. */
static void test_two_gpus_cpx_numeric_card_order(void)
{
    char root[PATH_MAX];
    new_root("two", root, sizeof root);
    int xcp = 0;
    for (int g = 0; g < 2; g++) {
        int base = g * 8;
        add_pci_card(root, base, g == 0 ? "0000:0c:00.0" : "0000:22:00.0", &k_mi300x_cpx_nps4);
        for (int i = 1; i < 8; i++) {
            char name[32];
            FMT(name, "amdgpu_xcp_%d", xcp++);
            add_xcp_card(root, base + i, name);
        }
    }
    aim_gpu_device_list *list = scan(root, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 16);
    if (aim_gpu_device_list_count(list) == 16) {
        aim_gpu_device_info d8 = get(list, 8), d9 = get(list, 9), d15 = get(list, 15);
        CHECK(d8.card == 8 && d8.kind == AIM_GPU_NODE_PHYSICAL);
        CHECK(strcmp(d8.bus_id, "0000:22:00.0") == 0);
        CHECK(d9.card == 9 && d9.parent_index == 8 && d9.partition_id == 1);
        CHECK(d15.card == 15 && d15.parent_index == 8 && d15.partition_id == 7);
        aim_gpu_device_info d2 = get(list, 2);
        CHECK(d2.card == 2 && d2.parent_index == 0 && d2.partition_id == 2);
    }
    aim_gpu_device_list_free(list);
}

/*
 * amdgpu allocates its partition nodes at load time whatever the mode, so an
 * SPX GPU may also show them; the physical entry still reports SPX, and the
 * nodes are marked as partition nodes rather than counted as GPUs.
 */
static void test_spx_with_idle_partition_nodes(void)
{
    char root[PATH_MAX];
    new_root("spx_nodes", root, sizeof root);
    add_pci_card(root, 0, "0000:0c:00.0", &k_mi300x_spx);
    add_xcp_card(root, 1, "amdgpu_xcp.0"); /* older kernels name it with a dot */
    aim_gpu_device_list *list = scan(root, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 2);
    if (aim_gpu_device_list_count(list) == 2) {
        CHECK(get(list, 0).compute_current == AIM_GPU_COMPUTE_SPX);
        aim_gpu_device_info p = get(list, 1);
        CHECK(p.kind == AIM_GPU_NODE_PARTITION && p.parent_index == 0);
        CHECK(p.compute_current == AIM_GPU_COMPUTE_SPX);
    }
    aim_gpu_device_list_free(list);
}

static void test_card_without_partition_files(void)
{
    char root[PATH_MAX];
    new_root("consumer", root, sizeof root);
    gpu_files radeon = {"0x1002", "0x744c\n", "Radeon RX 7900 XTX\n", "25753026560\n",
                        NULL, NULL, NULL, NULL};
    add_pci_card(root, 0, "0000:03:00.0", &radeon);
    aim_gpu_device_list *list = scan(root, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 1);
    if (aim_gpu_device_list_count(list) == 1) {
        aim_gpu_device_info d = get(list, 0);
        CHECK(strcmp(d.name, "Radeon RX 7900 XTX") == 0);
        CHECK_STATUS(d.partition_status, AIM_GPU_ERR_NOT_SUPPORTED);
        CHECK(d.compute_current == AIM_GPU_COMPUTE_NONE && d.compute_available == 0);
        CHECK(d.memory_current == AIM_GPU_MEMORY_NONE && d.memory_available == 0);
        CHECK_EQ_U64(d.total_memory_bytes, 25753026560ull);
    }
    aim_gpu_device_list_free(list);
}

static void test_malformed_files_give_parse_status(void)
{
    char root[PATH_MAX];
    new_root("malformed", root, sizeof root);
    gpu_files bad_compute = {"0x1002\n", "0x74a1\n", NULL, "not-a-number\n",
                             "XPX\n", "SPX, DPX, QPX, CPX\n", "NPS1\n", "NPS1, NPS4\n"};
    gpu_files bad_list = {"0x1002\n", "0x74a1\n", NULL, NULL,
                          "SPX\n", "SPX, ZPX\n", "UNKNOWN\n", "NPS1, NPS4\n"};
    gpu_files empty = {"0x1002\n", "0x74a1\n", NULL, NULL, "\n", "", "NPS1\n", ",\n"};
    add_pci_card(root, 0, "0000:0c:00.0", &bad_compute);
    add_pci_card(root, 1, "0000:22:00.0", &bad_list);
    add_pci_card(root, 2, "0000:38:00.0", &empty);
    /* A file far larger than any real value: read bounded, reported, no overflow. */
    gpu_files huge = {"0x1002\n", "0x74a1\n", NULL, NULL, NULL, NULL, NULL, NULL};
    add_pci_card(root, 3, "0000:5c:00.0", &huge);
    static char big[64 * 1024];
    memset(big, 'S', sizeof big);
    char pci[PATH_MAX];
    FMT(pci, "%s/devices/pci0000:00/0000:00:01.0/0000:5c:00.0", root);
    write_bytes(pci, "current_compute_partition", big, sizeof big);
    /* NUL bytes inside a value. */
    write_bytes(pci, "current_memory_partition", "NPS\0" "1\n", 6);

    aim_gpu_device_list *list = scan(root, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 4);
    if (aim_gpu_device_list_count(list) == 4) {
        aim_gpu_device_info a = get(list, 0), b = get(list, 1), c = get(list, 2),
                            d = get(list, 3);
        CHECK_STATUS(a.partition_status, AIM_GPU_ERR_SYSFS_PARSE);
        CHECK(a.compute_current == AIM_GPU_COMPUTE_NONE); /* the bad file's field */
        CHECK_EQ_U64(a.compute_available, k_all_mi300x_compute); /* the good ones kept */
        CHECK(a.memory_current == AIM_GPU_MEMORY_NPS1);
        CHECK_EQ_U64(a.total_memory_bytes, 0);
        CHECK_STATUS(b.partition_status, AIM_GPU_ERR_SYSFS_PARSE);
        CHECK(b.compute_current == AIM_GPU_COMPUTE_SPX && b.compute_available == 0);
        CHECK(b.memory_current == AIM_GPU_MEMORY_NONE);
        CHECK_STATUS(c.partition_status, AIM_GPU_ERR_SYSFS_PARSE);
        CHECK(c.compute_current == AIM_GPU_COMPUTE_NONE && c.memory_current == AIM_GPU_MEMORY_NPS1);
        CHECK(c.memory_available == 0);
        CHECK_STATUS(d.partition_status, AIM_GPU_ERR_SYSFS_PARSE);
        CHECK(d.compute_current == AIM_GPU_COMPUTE_NONE && d.memory_current == AIM_GPU_MEMORY_NONE);
    }
    aim_gpu_device_list_free(list);
}

static void test_orphan_partition_node(void)
{
    char root[PATH_MAX];
    new_root("orphan", root, sizeof root);
    add_xcp_card(root, 0, "amdgpu_xcp_0");
    aim_gpu_device_list *list = scan(root, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 1);
    if (aim_gpu_device_list_count(list) == 1) {
        aim_gpu_device_info d = get(list, 0);
        CHECK(d.kind == AIM_GPU_NODE_PARTITION && d.parent_index == -1);
        CHECK_STATUS(d.partition_status, AIM_GPU_ERR_NOT_SUPPORTED);
    }
    aim_gpu_device_list_free(list);
}

static void test_roots_missing_empty_and_from_env(void)
{
    char path[PATH_MAX];
    FMT(path, "%s/does-not-exist", g_tmp);
    aim_gpu_device_list *list = scan(path, AIM_GPU_ERR_IO);
    CHECK(list == NULL);
    FMT(path, "%s/no-drm", g_tmp);
    mkdir_p(path);
    list = scan(path, AIM_GPU_OK); /* a machine without DRM: no devices, not an error */
    CHECK(list != NULL && aim_gpu_device_list_count(list) == 0);
    aim_gpu_device_list_free(list);
    CHECK_STATUS(aim_gpu_sysfs_scan(path, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);

    char root[PATH_MAX];
    new_root("from_env", root, sizeof root);
    add_pci_card(root, 0, "0000:0c:00.0", &k_mi300x_cpx_nps4);
    setenv("AIM_GPU_SYSFS_ROOT", root, 1);
    list = scan(NULL, AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 1);
    if (aim_gpu_device_list_count(list) == 1) {
        CHECK(get(list, 0).compute_current == AIM_GPU_COMPUTE_CPX);
    }
    aim_gpu_device_list_free(list);
    unsetenv("AIM_GPU_SYSFS_ROOT");
}

/* The real /sys of this machine: must never fail, whatever it holds. */
static void test_real_sysfs_does_not_fail(void)
{
    aim_gpu_device_list *list = scan("/sys", AIM_GPU_OK);
    printf("     /sys: %zu AMD GPU node(s)\n", aim_gpu_device_list_count(list));
    aim_gpu_device_list_free(list);
}

/* ------------------------------------------------------------ parsers -- */

static void test_parsers(void)
{
    aim_gpu_compute_partition c = AIM_GPU_COMPUTE_NONE;
    aim_gpu_memory_partition m = AIM_GPU_MEMORY_NONE;
    uint32_t mask = 0;
#define PC(s) aim_gpu_parse_compute_partition((s), sizeof(s) - 1, &c)
#define PCL(s) aim_gpu_parse_compute_partition_list((s), sizeof(s) - 1, &mask)
#define PM(s) aim_gpu_parse_memory_partition((s), sizeof(s) - 1, &m)
#define PML(s) aim_gpu_parse_memory_partition_list((s), sizeof(s) - 1, &mask)
    CHECK_STATUS(PC("SPX\n"), AIM_GPU_OK);
    CHECK(c == AIM_GPU_COMPUTE_SPX);
    CHECK_STATUS(PC("  cpx \r\n\n"), AIM_GPU_OK);
    CHECK(c == AIM_GPU_COMPUTE_CPX);
    CHECK_STATUS(PC("TPX"), AIM_GPU_OK); /* no trailing newline */
    CHECK(c == AIM_GPU_COMPUTE_TPX);
    CHECK_STATUS(PC(""), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PC("\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PC("SPX DPX\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PC("SPX,\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PC("SPXX\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PC("SP\0X\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PC("UNKNOWN\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PC("NPS1\n"), AIM_GPU_ERR_SYSFS_PARSE); /* wrong kind of mode */
    CHECK(c == AIM_GPU_COMPUTE_TPX); /* untouched on error */

    CHECK_STATUS(PCL("SPX, DPX, QPX, CPX\n"), AIM_GPU_OK);
    CHECK_EQ_U64(mask, k_all_mi300x_compute);
    CHECK_STATUS(PCL("SPX,DPX,\n"), AIM_GPU_OK); /* trailing separator tolerated */
    CHECK_EQ_U64(mask, AIM_GPU_MODE_BIT(AIM_GPU_COMPUTE_SPX) | AIM_GPU_MODE_BIT(AIM_GPU_COMPUTE_DPX));
    CHECK_STATUS(PCL("SPX\n"), AIM_GPU_OK);
    CHECK_EQ_U64(mask, AIM_GPU_MODE_BIT(AIM_GPU_COMPUTE_SPX));
    CHECK_STATUS(PCL(", ,\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PCL("SPX, ZPX\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PCL("SPX; DPX\n"), AIM_GPU_ERR_SYSFS_PARSE);

    CHECK_STATUS(PM("NPS4\n"), AIM_GPU_OK);
    CHECK(m == AIM_GPU_MEMORY_NPS4);
    CHECK_STATUS(PM("nps8"), AIM_GPU_OK);
    CHECK(m == AIM_GPU_MEMORY_NPS8);
    CHECK_STATUS(PM("NPS5\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PM("NPS16\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PM("NPS\n"), AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(PML("NPS1, NPS4\n"), AIM_GPU_OK);
    CHECK_EQ_U64(mask, k_nps1_nps4);
    CHECK_STATUS(PML("NPS1, NPS2, NPS3, NPS4, NPS6, NPS8\n"), AIM_GPU_OK);
    CHECK_EQ_U64(mask, 0x15eu);
    CHECK_STATUS(PML("NPS1, 4\n"), AIM_GPU_ERR_SYSFS_PARSE);

    static char longtext[5000];
    memset(longtext, ' ', sizeof longtext);
    memcpy(longtext, "SPX", 3);
    CHECK_STATUS(aim_gpu_parse_compute_partition(longtext, sizeof longtext, &c),
                 AIM_GPU_ERR_SYSFS_PARSE);
    CHECK_STATUS(aim_gpu_parse_compute_partition(longtext, 4096, &c), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_parse_compute_partition(NULL, 3, &c), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_parse_compute_partition("SPX", 3, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_parse_memory_partition_list("NPS1", 4, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);

    CHECK(strcmp(aim_gpu_compute_partition_name(AIM_GPU_COMPUTE_QPX), "QPX") == 0);
    CHECK(strcmp(aim_gpu_compute_partition_name(AIM_GPU_COMPUTE_NONE), "NONE") == 0);
    CHECK(aim_gpu_compute_partition_name((aim_gpu_compute_partition)6) == NULL);
    CHECK(strcmp(aim_gpu_memory_partition_name(AIM_GPU_MEMORY_NPS6), "NPS6") == 0);
    CHECK(aim_gpu_memory_partition_name((aim_gpu_memory_partition)5) == NULL);
#undef PC
#undef PCL
#undef PM
#undef PML
}

/* Deterministic fuzz: random bytes must never crash, and must parse or be refused. */
static void test_parsers_random_bytes(void)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    char buf[64];
    int bad = 0;
    static const char alphabet[] = "SPXDQCTNPS0123468, \n\r\t\0x";
    for (int iter = 0; iter < 200000; iter++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        size_t len = (size_t)(s % sizeof buf);
        for (size_t i = 0; i < len; i++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            buf[i] = alphabet[s % (sizeof alphabet - 1)];
        }
        aim_gpu_compute_partition c;
        aim_gpu_memory_partition m;
        uint32_t mask;
        aim_gpu_status r[4] = {
            aim_gpu_parse_compute_partition(buf, len, &c),
            aim_gpu_parse_compute_partition_list(buf, len, &mask),
            aim_gpu_parse_memory_partition(buf, len, &m),
            aim_gpu_parse_memory_partition_list(buf, len, &mask),
        };
        for (int k = 0; k < 4; k++) {
            bad += r[k] != AIM_GPU_OK && r[k] != AIM_GPU_ERR_SYSFS_PARSE;
        }
        if (r[0] == AIM_GPU_OK) {
            bad += c < AIM_GPU_COMPUTE_SPX || c > AIM_GPU_COMPUTE_CPX;
        }
        if (r[2] == AIM_GPU_OK) {
            bad += aim_gpu_memory_partition_name(m) == NULL || m == AIM_GPU_MEMORY_NONE;
        }
    }
    CHECK(bad == 0);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int main(void)
{
    FMT(g_tmp, "%s/aimgpu-sysfs-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(g_tmp) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    RUN(test_mi300x_spx_nps1_one_card);
    RUN(test_mi300x_cpx_nps4_eight_nodes);
    RUN(test_two_gpus_cpx_numeric_card_order);
    RUN(test_spx_with_idle_partition_nodes);
    RUN(test_card_without_partition_files);
    RUN(test_malformed_files_give_parse_status);
    RUN(test_orphan_partition_node);
    RUN(test_roots_missing_empty_and_from_env);
    RUN(test_real_sysfs_does_not_fail);
    RUN(test_parsers);
    RUN(test_parsers_random_bytes);
    nftw(g_tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return h_finish();
}
