/*
 * Copyright 2026 The appoint developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ApWeb"

#include "ap-web-batch.h"

typedef struct {
	ApWebRequest *req; /* held: see ap_web_request_hold() */
	ApWebHandler handler;
} ApWebBatchItem;

struct _ApWebBatch {
	ApStore *store;
	GPtrArray *pending; /* ApWebBatchItem */
	guint flush_id;
	guint largest;
};

static void
ap_web_batch_item_free(ApWebBatchItem *item)
{
	/* answered by the batch's run; whatever was not is answered now */
	g_clear_pointer(&item->req, ap_web_request_release);
	g_free(item);
}

/**
 * ap_web_batch_new:
 * @store: where the writes go
 *
 * Returns: (transfer full): an empty batch
 */
ApWebBatch *
ap_web_batch_new(ApStore *store)
{
	ApWebBatch *self = g_new0(ApWebBatch, 1);

	self->store = g_object_ref(store);
	self->pending = g_ptr_array_new_with_free_func((GDestroyNotify)ap_web_batch_item_free);
	return self;
}

static void
ap_web_batch_run(ApWebBatch *self, GPtrArray *items)
{
	g_autoptr(GError) error = NULL;
	gboolean batched = ap_store_batch_begin(self->store, &error);

	/* a busy database: each write commits on its own instead */
	if (!batched)
		g_debug("no batch, committing one by one: %s", error->message);
	for (guint i = 0; i < items->len; i++) {
		ApWebBatchItem *item = g_ptr_array_index(items, i);

		ap_store_audit_set_address(ap_web_client_address(
			item->req->msg, ap_engine_get_config(item->req->engine)));
		item->handler(item->req);
		ap_store_audit_set_address(NULL);
		g_clear_pointer(&item->req->body, json_node_unref);
	}
	if (batched && !ap_store_batch_commit(self->store, &error)) {
		g_warning("a batch of %u request(s) could not be stored: %s",
			  items->len,
			  error->message);
		/* a failed commit undoes every change of the batch, and what one
		 * of them answered may have come of another's (a 409 for what
		 * another took in this batch): all are told to try again */
		for (guint i = 0; i < items->len; i++) {
			ApWebBatchItem *item = g_ptr_array_index(items, i);

			ap_web_problem_not_stored(item->req->msg);
		}
	}
	/* what the batch wrote to the outbox can go now */
	if (items->len > 0)
		ap_engine_notify_committed(
			((ApWebBatchItem *)g_ptr_array_index(items, 0))->req->engine);
	for (guint i = 0; i < items->len; i++) {
		ApWebBatchItem *item = g_ptr_array_index(items, i);

		g_clear_pointer(&item->req, ap_web_request_release);
	}
}

static gboolean
ap_web_batch_flush_cb(gpointer user_data)
{
	ApWebBatch *self = user_data;
	g_autoptr(GPtrArray) items = g_steal_pointer(&self->pending);

	self->flush_id = 0;
	self->pending = g_ptr_array_new_with_free_func((GDestroyNotify)ap_web_batch_item_free);
	self->largest = MAX(self->largest, items->len);
	ap_web_batch_run(self, items);
	return G_SOURCE_REMOVE;
}

/**
 * ap_web_batch_add:
 * @req: a request whose handler writes; it is paused until answered
 * @handler: the handler, run with the batch's other requests
 *
 * Holds @req until the main loop has read what else has arrived, then
 * runs it with the others in one commit.
 */
void
ap_web_batch_add(ApWebBatch *self, ApWebRequest *req, ApWebHandler handler)
{
	ApWebBatchItem *item = g_new0(ApWebBatchItem, 1);

	item->req = ap_web_request_hold(req);
	item->handler = handler;
	g_ptr_array_add(self->pending, item);
	/* at the priority of I/O, so that requests read in the same turn of
	 * the loop join, and a stream of reads cannot starve the batch */
	if (self->flush_id == 0)
		self->flush_id =
			g_idle_add_full(G_PRIORITY_DEFAULT, ap_web_batch_flush_cb, self, NULL);
}

/**
 * ap_web_batch_get_largest:
 *
 * Returns: the most requests one commit has held so far
 */
guint
ap_web_batch_get_largest(ApWebBatch *self)
{
	return self->largest;
}

void
ap_web_batch_free(ApWebBatch *self)
{
	if (self == NULL)
		return;
	/* what is still held is answered before the batch goes */
	if (self->flush_id != 0) {
		g_source_remove(self->flush_id);
		ap_web_batch_flush_cb(self);
	}
	g_ptr_array_unref(self->pending);
	g_object_unref(self->store);
	g_free(self);
}
