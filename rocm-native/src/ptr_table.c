/*
 * Pointer -> size map for the pools. Linear probing with backward-shift
 * deletion, so there are no tombstones and a lookup of an absent key (a
 * double free) stops at the first empty slot. Load factor stays <= 1/2.
 * Not thread-safe: the pool lock guards it.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define AIM_TABLE_MIN_CAPACITY 64u

static inline size_t slot_of(const aim_ptr_table *t, uintptr_t key)
{
    /* Fibonacci hashing; the low 4 bits of allocator pointers are always 0. */
    return (size_t)(((uint64_t)(key >> 4) * UINT64_C(0x9E3779B97F4A7C15)) >> t->shift);
}

void aim_ptr_table_init(aim_ptr_table *t)
{
    memset(t, 0, sizeof *t);
}

void aim_ptr_table_release(aim_ptr_table *t)
{
    free(t->keys);
    free(t->sizes);
    memset(t, 0, sizeof *t);
}

static unsigned log2_size(size_t v)
{
    unsigned r = 0;
    while (((size_t)1 << r) < v) {
        r++;
    }
    return r;
}

static void insert_fresh(aim_ptr_table *t, uintptr_t key, uint64_t size)
{
    size_t mask = t->capacity - 1;
    size_t i = slot_of(t, key);
    while (t->keys[i] != 0) {
        i = (i + 1) & mask;
    }
    t->keys[i] = key;
    t->sizes[i] = size;
    t->count++;
}

static int grow(aim_ptr_table *t)
{
    size_t new_cap = t->capacity ? t->capacity * 2 : AIM_TABLE_MIN_CAPACITY;
    if (new_cap < t->capacity) {
        return -1;
    }
    uintptr_t *keys = calloc(new_cap, sizeof *keys);
    uint64_t *sizes = malloc(new_cap * sizeof *sizes);
    if (keys == NULL || sizes == NULL) {
        free(keys);
        free(sizes);
        return -1;
    }
    aim_ptr_table old = *t;
    t->keys = keys;
    t->sizes = sizes;
    t->capacity = new_cap;
    t->count = 0;
    t->shift = 64u - log2_size(new_cap);
    for (size_t i = 0; i < old.capacity; i++) {
        if (old.keys[i] != 0) {
            insert_fresh(t, old.keys[i], old.sizes[i]);
        }
    }
    free(old.keys);
    free(old.sizes);
    return 0;
}

int aim_ptr_table_put(aim_ptr_table *t, uintptr_t key, uint64_t size)
{
    if (AIM_UNLIKELY((t->count + 1) * 2 > t->capacity)) {
        if (grow(t) != 0) {
            return -1;
        }
    }
    insert_fresh(t, key, size);
    return 0;
}

int aim_ptr_table_contains(const aim_ptr_table *t, uintptr_t key)
{
    if (t->capacity == 0 || key == 0) {
        return 0;
    }
    size_t mask = t->capacity - 1;
    for (size_t i = slot_of(t, key); t->keys[i] != 0; i = (i + 1) & mask) {
        if (t->keys[i] == key) {
            return 1;
        }
    }
    return 0;
}

int aim_ptr_table_remove(aim_ptr_table *t, uintptr_t key, uint64_t *size)
{
    if (t->capacity == 0 || key == 0) {
        return 0;
    }
    size_t mask = t->capacity - 1;
    size_t i = slot_of(t, key);
    while (t->keys[i] != key) {
        if (t->keys[i] == 0) {
            return 0;
        }
        i = (i + 1) & mask;
    }
    *size = t->sizes[i];
    /* Backward-shift: pull later members of the probe run into the hole when
     * their home slot does not lie cyclically in (hole, j]. */
    size_t hole = i;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (t->keys[j] == 0) {
            break;
        }
        size_t home = slot_of(t, t->keys[j]);
        int stays = (hole <= j) ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            t->keys[hole] = t->keys[j];
            t->sizes[hole] = t->sizes[j];
            hole = j;
        }
    }
    t->keys[hole] = 0;
    t->count--;
    return 1;
}
