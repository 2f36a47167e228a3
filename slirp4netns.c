/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slirp4netns.c - placeholder, being written */
