// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later

import { _, h, show, start } from "./common.js";

start(async () => {
  show(_("appoint"), h("h1", {}, _("appoint")));
});
