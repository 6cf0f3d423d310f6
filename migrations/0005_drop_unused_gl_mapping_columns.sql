ALTER TABLE "gl_mappings" DROP COLUMN "segment_pattern";--> statement-breakpoint
ALTER TABLE "gl_mappings" DROP COLUMN "dimension_code";