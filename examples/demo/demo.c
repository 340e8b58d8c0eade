/* SPDX-License-Identifier: MIT */
/**
 * @file examples/demo/demo.c
 * @brief 1,000 vthreads through a pool, a channel and sleeps.
 *
 * Each "sensor" thread sleeps a little (its sampling period), hands a
 * checksum job to a pool of workers, and sends its reading down a channel;
 * one collector thread takes every reading. Every thread is plain
 * sequential code. Options (semihosting command line): n=<threads>.
 *
 * At the end it prints how many threads ran, how many context switches
 * that took, and what one sensor thread costs in RAM.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt/vt.h"

#ifdef __linux__
#define LIBC_EXTRA 8192 /* host port: glibc's printf and timer calls need deep stacks */
#else
#define LIBC_EXTRA 0
#endif
#define SENSOR_STACK VT_STACK_SIZE(384 + LIBC_EXTRA)

struct reading {
    uint16_t sensor;
    int16_t value;
};

static vt_chan_t readings;
static struct reading readings_buf[32];
VT_POOL_STORAGE(workers, 4, 16, 512 + LIBC_EXTRA);
static uint32_t checksum;
static unsigned jobs_done, received;

static int checksum_job(void *arg)
{
    uintptr_t v = (uintptr_t)arg;
    checksum = (checksum << 5) ^ (checksum >> 27) ^ (uint32_t)v;
    jobs_done++;
    return 0;
}

static int sensor(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    struct reading r = {(uint16_t)id, 0};
    for (int sample = 0; sample < 3; sample++) {
        vt_sleep(1 + (id * 7 + sample * 13) % 20);  /* sampling period */
        r.value = (int16_t)(200 + (id * 31 + sample) % 100);
        vt_pool_submit(&workers, checksum_job, (void *)(uintptr_t)(id ^ (unsigned)r.value));
        vt_chan_send(&readings, &r);
    }
    return 0;
}

static int collector(void *arg)
{
    unsigned expect = *(unsigned *)arg;
    struct reading r;
    long sum = 0;
    while (received < expect && vt_chan_recv(&readings, &r) == 0) {
        sum += r.value;
        received++;
        if (received % 1000 == 0)
            printf("  %u readings collected\n", received);
    }
    printf("  mean reading %ld.%ld\n", sum / (long)received, (sum * 10 / (long)received) % 10);
    return 0;
}

static unsigned n_sensors = 1000;
static vt_thread_t *sensors, coll;
static uint8_t *sensor_stacks;
static size_t max_used;

/* joins the sensors, drains the pool, stops it: then vt_run() returns */
static int supervisor(void *arg)
{
    static uint8_t coll_stack[VT_STACK_SIZE(1024 + LIBC_EXTRA)] __attribute__((aligned(16)));
    static unsigned expect;
    int failures = 0;

    expect = n_sensors * 3;
    vt_thread_create(&coll, coll_stack, sizeof coll_stack, "collector", collector, &expect, 0);
    for (unsigned i = 0; i < n_sensors; i++) {
        int rc = vt_thread_create(&sensors[i], sensor_stacks + (size_t)i * SENSOR_STACK,
                                  SENSOR_STACK, "sensor", sensor, (void *)(uintptr_t)i, 0);
        if (rc != 0) {
            printf("sensor %u: %s\n", i, vt_strerror(rc));
            return 1;
        }
    }
    for (unsigned i = 0; i < n_sensors; i++) {
        size_t used;
        failures += vt_thread_join(&sensors[i], NULL, VT_FOREVER) != 0;
        used = vt_thread_stack_used(&sensors[i]); /* stack memory is still ours */
        if (used > max_used)
            max_used = used;
    }
    vt_pool_wait(&workers, VT_FOREVER);
    failures += vt_pool_shutdown(&workers);
    failures += vt_thread_join(&coll, NULL, VT_FOREVER) != 0;
    return failures;
}

int main(int argc, char **argv)
{
    static vt_thread_t sup;
    static uint8_t sup_stack[VT_STACK_SIZE(1024 + LIBC_EXTRA)] __attribute__((aligned(16)));
    uint64_t t0 = vt_now_us(), us;
    int code = 1;

    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "n=", 2) == 0)
            n_sensors = (unsigned)strtoul(argv[i] + 2, NULL, 10);
    printf("vthread demo: %u sensor threads, a pool of 4 workers, one channel\n", n_sensors);
    sensors = calloc(n_sensors, sizeof *sensors);
    sensor_stacks = malloc((size_t)n_sensors * SENSOR_STACK);
    if (sensors == NULL || sensor_stacks == NULL) {
        printf("out of memory for %u threads\n", n_sensors);
        return 1;
    }
    vt_chan_init(&readings, readings_buf, sizeof readings_buf[0], 32);
    VT_POOL_START(workers, "worker");
    vt_thread_create(&sup, sup_stack, sizeof sup_stack, "supervisor", supervisor, NULL, 0);
    vt_run(); /* main is the idle loop until every thread has finished */
    vt_thread_join(&sup, &code, VT_NOWAIT);
    us = vt_now_us() - t0;

    printf("threads run:       %u (%u sensors, 4 workers, collector, supervisor)\n",
           n_sensors + 6, n_sensors);
    printf("readings:          %u received, %u pool jobs, checksum %08lx\n", received,
           jobs_done, (unsigned long)checksum);
    printf("context switches:  %lu\n", (unsigned long)vt_switch_count());
    printf("bytes per thread:  %u (thread struct %u + stack %u; deepest stack use %u)\n",
           (unsigned)(sizeof(vt_thread_t) + SENSOR_STACK), (unsigned)sizeof(vt_thread_t),
           (unsigned)SENSOR_STACK, (unsigned)max_used);
    printf("time:              %lu ms\n", (unsigned long)(us / 1000));
    if (code != 0 || received != n_sensors * 3 || jobs_done != n_sensors * 3) {
        printf("demo FAILED\n");
        return 1;
    }
    printf("demo OK\n");
    return 0;
}
