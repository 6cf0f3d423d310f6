ALTER TABLE "gl_mappings" DROP CONSTRAINT "gl_mappings_kind_fields";--> statement-breakpoint
ALTER TABLE "gl_mappings" ADD COLUMN "segment_values" jsonb;--> statement-breakpoint
ALTER TABLE "gl_mappings" ADD COLUMN "segment_required" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "replay_transaction_id" text;--> statement-breakpoint
CREATE INDEX "suppliers_search_trgm" ON "suppliers" USING gin (("syspro_code" || ' ' || "name" || ' ' || coalesce("avid_vendor_id", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "purchase_orders_search_trgm" ON "purchase_orders" USING gin (("po_number" || ' ' || "syspro_supplier_code") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "invoices_search_trgm" ON "invoices" USING gin (("invoice_number" || ' ' || "syspro_supplier_code" || ' ' || "external_invoice_id" || ' ' || coalesce("avid_invoice_id", '') || ' ' || coalesce("po_number", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "payments_search_trgm" ON "payments" USING gin (("avid_payment_id" || ' ' || coalesce("avid_vendor_id", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "sync_runs_replay_transaction_id_index" ON "sync_runs" USING btree ("replay_transaction_id") WHERE "sync_runs"."replay_transaction_id" is not null;--> statement-breakpoint
CREATE INDEX "exceptions_search_trgm" ON "exceptions" USING gin ((coalesce("subject_ref", '') || ' ' || "reason_code" || ' ' || "message") gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "gl_mappings" ADD CONSTRAINT "gl_mappings_kind_fields" CHECK (("gl_mappings"."kind" = 'exact' and "gl_mappings"."syspro_gl_code" is not null and "gl_mappings"."avid_gl_code" is not null)
        or ("gl_mappings"."kind" = 'segment' and "gl_mappings"."segment_index" is not null));