/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.c - placeholder, being written */
