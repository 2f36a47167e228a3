/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccompfilter.c - placeholder, being written */
