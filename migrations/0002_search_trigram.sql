-- Trigram indexes serve the API's text search (ILIKE '%term%') on supplier names, invoice and PO
-- numbers and the like. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
