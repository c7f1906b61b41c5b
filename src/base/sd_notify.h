/*
 * sd_notify.h: telling the service manager how sigap serve is
 * (systemd's Type=notify, sd_notify(3)'s protocol, without libsystemd):
 * a datagram to the socket $NOTIFY_SOCKET names ("READY=1" once it
 * listens, "WATCHDOG=1" while it answers, "STOPPING=1" when it stops).
 * Nothing is sent when sigap was not started by one.
 */
#ifndef SG_SD_NOTIFY_H
#define SG_SD_NOTIFY_H

#include <stdint.h>

/* Sends state ("READY=1\nSTATUS=…"); 1 sent, 0 no manager, -1 failed. */
int sd_say(const char *state);
/* The watchdog's period in microseconds when the manager asks this
 * process for one ($WATCHDOG_USEC, for $WATCHDOG_PID or any); 0: none. */
int64_t sd_watchdog_usec(void);

#endif
