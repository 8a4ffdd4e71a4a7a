/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where e7d is on the bus, and the typed code gdbus-codegen makes from
 * data/org.eftirlit7.Firewall1.xml and data/org.eftirlit7.Firewall1.Agent.xml:
 * E7Firewall1 (proxy and skeleton) and E7Firewall1Agent.
 */
#pragma once

#include "e7-dbus-generated.h"

#define E7_DBUS_NAME "org.eftirlit7.Firewall1"
#define E7_DBUS_PATH "/org/eftirlit7/Firewall1"
#define E7_DBUS_INTERFACE "org.eftirlit7.Firewall1"
#define E7_AGENT_INTERFACE "org.eftirlit7.Firewall1.Agent"
