/*
 * winevent.h: Windows event fields (Wazuh's data.win.*, exported
 * Event.System / Event.EventData) under Sigma's field names.
 */
#ifndef SG_DETECT_WINEVENT_H
#define SG_DETECT_WINEVENT_H

#include "detect/engine/event.h"

/* Adds Sigma-named copies of the event's Windows fields; returns how many
 * (0 for an event that is not a Windows event). */
int det_windows_normalise(det_event *ev);

#endif
