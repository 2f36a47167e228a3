/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nstap.c - placeholder, being written */
