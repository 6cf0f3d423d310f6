CREATE TYPE "public"."connection_status" AS ENUM('active', 'paused', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."credential_kind" AS ENUM('syspro_operator_password', 'syspro_company_password', 'syspro_odata_password', 'avid_client_secret');--> statement-breakpoint
CREATE TYPE "public"."exception_state" AS ENUM('open', 'retrying', 'skipped', 'aborted', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."gl_mapping_kind" AS ENUM('exact', 'segment');--> statement-breakpoint
CREATE TYPE "public"."payment_posting_state" AS ENUM('awaiting_status', 'ready', 'posted', 'exception', 'reversed');--> statement-breakpoint
CREATE TYPE "public"."posting_kind" AS ENUM('payment', 'reversal', 'reclass');--> statement-breakpoint
CREATE TYPE "public"."posting_method" AS ENUM('APSTPM', 'GENTJL');--> statement-breakpoint
CREATE TYPE "public"."posting_state" AS ENUM('claimed', 'posted', 'failed', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."readiness_state" AS ENUM('unknown', 'ready', 'not_ready');--> statement-breakpoint
CREATE TYPE "public"."recode_policy" AS ENUM('JOURNAL', 'EXCEPTION');--> statement-breakpoint
CREATE TYPE "public"."remote_system" AS ENUM('syspro', 'avidxchange');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('viewer', 'operator', 'admin');--> statement-breakpoint
CREATE TYPE "public"."sync_kind" AS ENUM('suppliers', 'purchase_orders', 'invoices', 'approvals', 'payments', 'reference_data');--> statement-breakpoint
CREATE TYPE "public"."sync_run_state" AS ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."sync_state" AS ENUM('pending', 'synced', 'held', 'exception', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."transaction_state" AS ENUM('pending', 'succeeded', 'failed', 'exception', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."vendor_direction_policy" AS ENUM('HOLD', 'CREATE_IN_SYSPRO');--> statement-breakpoint
CREATE TABLE "connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" "connection_status" DEFAULT 'active' NOT NULL,
	"syspro_enet_base_url" text NOT NULL,
	"syspro_odata_base_url" text NOT NULL,
	"syspro_company_id" text NOT NULL,
	"syspro_operator" text NOT NULL,
	"syspro_odata_user" text NOT NULL,
	"avid_base_url" text NOT NULL,
	"avid_token_url" text NOT NULL,
	"avid_client_id" text NOT NULL,
	"avid_company_id" text NOT NULL,
	"avid_company_header" text DEFAULT 'X-Avid-Company-Id' NOT NULL,
	"vendor_direction_policy" "vendor_direction_policy" DEFAULT 'HOLD' NOT NULL,
	"recode_policy" "recode_policy" DEFAULT 'EXCEPTION' NOT NULL,
	"payment_posting_status" text DEFAULT 'Funds Received' NOT NULL,
	"posting_method" "posting_method" DEFAULT 'APSTPM' NOT NULL,
	"bank_code" text,
	"ap_control_gl" text,
	"bank_clearing_gl" text,
	"readiness" "readiness_state" DEFAULT 'unknown' NOT NULL,
	"readiness_checked_at" timestamp with time zone,
	"readiness_report" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connections_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" "credential_kind" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"iv" "bytea" NOT NULL,
	"auth_tag" "bytea" NOT NULL,
	"key_id" text NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credentials_connection_id_kind_unique" UNIQUE("connection_id","kind")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"capacity" double precision NOT NULL,
	"refill_per_second" double precision NOT NULL,
	"blocked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remote_sessions" (
	"key" text PRIMARY KEY NOT NULL,
	"connection_id" uuid,
	"system" "remote_system" NOT NULL,
	"ciphertext" "bytea",
	"iv" "bytea",
	"auth_tag" "bytea",
	"key_id" text,
	"expires_at" timestamp with time zone,
	"lease_holder" text,
	"lease_until" timestamp with time zone,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppliers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"syspro_code" text NOT NULL,
	"name" text NOT NULL,
	"currency" text,
	"terms" text,
	"avid_vendor_id" text,
	"raw" jsonb,
	"content_hash" text,
	"last_sent_hash" text,
	"sync_state" "sync_state" DEFAULT 'pending' NOT NULL,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppliers_connection_id_syspro_code_unique" UNIQUE("connection_id","syspro_code")
);
--> statement-breakpoint
CREATE TABLE "purchase_order_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"line_number" integer NOT NULL,
	"stock_code" text,
	"description" text,
	"warehouse" text,
	"gl_code" text,
	"quantity" numeric(18, 6),
	"unit_price" numeric(18, 6),
	"amount" numeric(18, 2),
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_order_lines_purchase_order_id_line_number_unique" UNIQUE("purchase_order_id","line_number")
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"supplier_id" uuid,
	"po_number" text NOT NULL,
	"syspro_supplier_code" text NOT NULL,
	"order_entry_date" date,
	"status" text,
	"currency" text,
	"total_amount" numeric(18, 2),
	"avid_purchase_order_id" text,
	"syspro_changed_at" timestamp with time zone,
	"raw" jsonb,
	"content_hash" text,
	"last_sent_hash" text,
	"sync_state" "sync_state" DEFAULT 'pending' NOT NULL,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_orders_connection_id_po_number_unique" UNIQUE("connection_id","po_number")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"line_number" integer NOT NULL,
	"syspro_gl_code" text NOT NULL,
	"cost_centre" text,
	"description" text,
	"amount" numeric(18, 2) NOT NULL,
	"avid_gl_code" text,
	"avid_dimensions" jsonb,
	"recoded_gl_code" text,
	"recoded_dimensions" jsonb,
	"recoded_at" timestamp with time zone,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_lines_invoice_id_line_number_unique" UNIQUE("invoice_id","line_number")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"supplier_id" uuid,
	"syspro_supplier_code" text NOT NULL,
	"invoice_number" text NOT NULL,
	"trn_year" integer,
	"trn_month" integer,
	"journal" text,
	"entry_number" text,
	"invoice_date" date,
	"due_date" date,
	"journal_date" date,
	"currency" text,
	"amount" numeric(18, 2) NOT NULL,
	"tax_amount" numeric(18, 2),
	"open_balance" numeric(18, 2),
	"po_number" text,
	"external_invoice_id" text NOT NULL,
	"avid_invoice_id" text,
	"approval_state" text,
	"approval_state_at" timestamp with time zone,
	"transaction_id" text,
	"sent_at" timestamp with time zone,
	"raw" jsonb,
	"content_hash" text,
	"last_sent_hash" text,
	"sync_state" "sync_state" DEFAULT 'pending' NOT NULL,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_connection_supplier_invoice_unique" UNIQUE("connection_id","syspro_supplier_code","invoice_number"),
	CONSTRAINT "invoices_connection_id_external_invoice_id_unique" UNIQUE("connection_id","external_invoice_id")
);
--> statement-breakpoint
CREATE TABLE "payment_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"invoice_id" uuid,
	"avid_invoice_id" text NOT NULL,
	"external_invoice_id" text,
	"amount" numeric(18, 2) NOT NULL,
	"discount_amount" numeric(18, 2),
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_applications_payment_id_avid_invoice_id_unique" UNIQUE("payment_id","avid_invoice_id")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"avid_payment_id" text NOT NULL,
	"supplier_id" uuid,
	"avid_vendor_id" text,
	"status" text NOT NULL,
	"status_at" timestamp with time zone,
	"method" text,
	"amount" numeric(18, 2) NOT NULL,
	"currency" text,
	"payment_date" date,
	"remittance" jsonb,
	"raw" jsonb,
	"posting_state" "payment_posting_state" DEFAULT 'awaiting_status' NOT NULL,
	"transaction_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_connection_id_avid_payment_id_unique" UNIQUE("connection_id","avid_payment_id")
);
--> statement-breakpoint
CREATE TABLE "postings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" "posting_kind" NOT NULL,
	"avid_payment_id" text,
	"payment_id" uuid,
	"invoice_id" uuid NOT NULL,
	"recode_ref" text,
	"reverses_posting_id" uuid,
	"transaction_id" text NOT NULL,
	"method" "posting_method" NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"currency" text,
	"state" "posting_state" DEFAULT 'claimed' NOT NULL,
	"syspro_reference" text,
	"request" jsonb,
	"response" jsonb,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"posted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "postings_kind_keys" CHECK (("postings"."kind" in ('payment', 'reversal') and "postings"."avid_payment_id" is not null)
        or ("postings"."kind" = 'reclass' and "postings"."recode_ref" is not null))
);
--> statement-breakpoint
CREATE TABLE "avid_dimensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"group_name" text NOT NULL,
	"code" text NOT NULL,
	"name" text,
	"avid_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "avid_dimensions_connection_id_group_name_code_unique" UNIQUE("connection_id","group_name","code")
);
--> statement-breakpoint
CREATE TABLE "gl_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"gl_code" text NOT NULL,
	"description" text,
	"account_type" text,
	"active" boolean DEFAULT true NOT NULL,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gl_accounts_connection_id_gl_code_unique" UNIQUE("connection_id","gl_code")
);
--> statement-breakpoint
CREATE TABLE "gl_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" "gl_mapping_kind" NOT NULL,
	"syspro_gl_code" text,
	"avid_gl_code" text,
	"dimensions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"segment_index" integer,
	"segment_separator" text DEFAULT '-' NOT NULL,
	"segment_pattern" text,
	"dimension_group" text,
	"dimension_code" text,
	"priority" integer DEFAULT 0 NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gl_mappings_kind_fields" CHECK (("gl_mappings"."kind" = 'exact' and "gl_mappings"."syspro_gl_code" is not null and "gl_mappings"."avid_gl_code" is not null)
        or ("gl_mappings"."kind" = 'segment' and "gl_mappings"."segment_index" is not null and "gl_mappings"."dimension_group" is not null))
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" "sync_kind" NOT NULL,
	"interval_seconds" integer,
	"daily_at" time,
	"paused" boolean DEFAULT false NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedules_connection_id_kind_unique" UNIQUE("connection_id","kind")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" "sync_kind" NOT NULL,
	"state" "sync_run_state" DEFAULT 'queued' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"full_resync" boolean DEFAULT false NOT NULL,
	"force" boolean DEFAULT false NOT NULL,
	"count_read" integer DEFAULT 0 NOT NULL,
	"count_created" integer DEFAULT 0 NOT NULL,
	"count_updated" integer DEFAULT 0 NOT NULL,
	"count_unchanged" integer DEFAULT 0 NOT NULL,
	"count_exceptions" integer DEFAULT 0 NOT NULL,
	"plan" jsonb,
	"error" text,
	"actor" text NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watermarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"stream" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"tie_break_key" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "watermarks_connection_id_stream_unique" UNIQUE("connection_id","stream")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"connection_id" uuid,
	"transaction_id" text,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"subject_type" text,
	"subject_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_type" text,
	"subject_id" text,
	"input" jsonb NOT NULL,
	"state" "transaction_state" DEFAULT 'pending' NOT NULL,
	"result" jsonb,
	"error" text,
	"replay_of" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"transaction_id" text,
	"sync_run_id" uuid,
	"reason_code" text NOT NULL,
	"message" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"subject_ref" text,
	"raw_payload" jsonb,
	"suggested_action" text,
	"state" "exception_state" DEFAULT 'open' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"resolution_note" text,
	"actor" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"role" "role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_sessions" ADD CONSTRAINT "remote_sessions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppliers" ADD CONSTRAINT "suppliers_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_applications" ADD CONSTRAINT "payment_applications_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_applications" ADD CONSTRAINT "payment_applications_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_reverses_posting_id_postings_id_fk" FOREIGN KEY ("reverses_posting_id") REFERENCES "public"."postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avid_dimensions" ADD CONSTRAINT "avid_dimensions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gl_accounts" ADD CONSTRAINT "gl_accounts_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gl_mappings" ADD CONSTRAINT "gl_mappings_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watermarks" ADD CONSTRAINT "watermarks_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_replay_of_transactions_id_fk" FOREIGN KEY ("replay_of") REFERENCES "public"."transactions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_sync_run_id_sync_runs_id_fk" FOREIGN KEY ("sync_run_id") REFERENCES "public"."sync_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credentials_key_id_index" ON "credentials" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "remote_sessions_connection_id_index" ON "remote_sessions" USING btree ("connection_id");--> statement-breakpoint
CREATE INDEX "remote_sessions_key_id_index" ON "remote_sessions" USING btree ("key_id") WHERE "remote_sessions"."key_id" is not null;--> statement-breakpoint
CREATE INDEX "suppliers_connection_id_avid_vendor_id_index" ON "suppliers" USING btree ("connection_id","avid_vendor_id");--> statement-breakpoint
CREATE INDEX "suppliers_connection_id_sync_state_index" ON "suppliers" USING btree ("connection_id","sync_state");--> statement-breakpoint
CREATE INDEX "purchase_orders_connection_id_sync_state_index" ON "purchase_orders" USING btree ("connection_id","sync_state");--> statement-breakpoint
CREATE INDEX "purchase_orders_connection_id_syspro_supplier_code_index" ON "purchase_orders" USING btree ("connection_id","syspro_supplier_code");--> statement-breakpoint
CREATE INDEX "purchase_orders_supplier_id_index" ON "purchase_orders" USING btree ("supplier_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_syspro_gl_code_index" ON "invoice_lines" USING btree ("syspro_gl_code");--> statement-breakpoint
CREATE INDEX "invoices_connection_id_avid_invoice_id_index" ON "invoices" USING btree ("connection_id","avid_invoice_id");--> statement-breakpoint
CREATE INDEX "invoices_connection_id_sync_state_index" ON "invoices" USING btree ("connection_id","sync_state");--> statement-breakpoint
CREATE INDEX "invoices_connection_id_journal_date_index" ON "invoices" USING btree ("connection_id","journal_date");--> statement-breakpoint
CREATE INDEX "invoices_supplier_id_index" ON "invoices" USING btree ("supplier_id");--> statement-breakpoint
CREATE INDEX "payment_applications_invoice_id_index" ON "payment_applications" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "payments_connection_id_posting_state_index" ON "payments" USING btree ("connection_id","posting_state");--> statement-breakpoint
CREATE INDEX "payments_connection_id_status_index" ON "payments" USING btree ("connection_id","status");--> statement-breakpoint
CREATE INDEX "payments_supplier_id_index" ON "payments" USING btree ("supplier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "postings_payment_once" ON "postings" USING btree ("connection_id","avid_payment_id","invoice_id","kind") WHERE "postings"."kind" in ('payment', 'reversal');--> statement-breakpoint
CREATE UNIQUE INDEX "postings_reclass_once" ON "postings" USING btree ("connection_id","invoice_id","recode_ref") WHERE "postings"."kind" = 'reclass';--> statement-breakpoint
CREATE INDEX "postings_connection_id_state_index" ON "postings" USING btree ("connection_id","state");--> statement-breakpoint
CREATE INDEX "postings_invoice_id_index" ON "postings" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "postings_payment_id_index" ON "postings" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "postings_transaction_id_index" ON "postings" USING btree ("transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gl_mappings_exact_once" ON "gl_mappings" USING btree ("connection_id","syspro_gl_code") WHERE "gl_mappings"."kind" = 'exact';--> statement-breakpoint
CREATE INDEX "gl_mappings_connection_id_kind_priority_index" ON "gl_mappings" USING btree ("connection_id","kind","priority");--> statement-breakpoint
CREATE INDEX "schedules_next_run_at_index" ON "schedules" USING btree ("next_run_at") WHERE not "schedules"."paused";--> statement-breakpoint
CREATE INDEX "sync_runs_connection_id_created_at_index" ON "sync_runs" USING btree ("connection_id","created_at");--> statement-breakpoint
CREATE INDEX "sync_runs_state_index" ON "sync_runs" USING btree ("state");--> statement-breakpoint
CREATE INDEX "audit_events_connection_id_id_index" ON "audit_events" USING btree ("connection_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_transaction_id_index" ON "audit_events" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "audit_events_subject_type_subject_id_index" ON "audit_events" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "audit_events_type_id_index" ON "audit_events" USING btree ("type","id");--> statement-breakpoint
CREATE INDEX "transactions_connection_id_created_at_index" ON "transactions" USING btree ("connection_id","created_at");--> statement-breakpoint
CREATE INDEX "transactions_connection_id_subject_type_subject_id_index" ON "transactions" USING btree ("connection_id","subject_type","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exceptions_active_once" ON "exceptions" USING btree ("connection_id","subject_type","subject_id","reason_code") WHERE "exceptions"."state" in ('open', 'retrying');--> statement-breakpoint
CREATE INDEX "exceptions_connection_id_state_created_at_index" ON "exceptions" USING btree ("connection_id","state","created_at");--> statement-breakpoint
CREATE INDEX "exceptions_transaction_id_index" ON "exceptions" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "api_keys_name_index" ON "api_keys" USING btree ("name") WHERE "api_keys"."revoked_at" is null;