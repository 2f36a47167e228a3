/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdpass.c - placeholder, being written */
