ALTER TABLE "projects" ADD COLUMN "next_message_sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Projects that already have messages continue after their highest sequence.
UPDATE "projects" SET "next_message_sequence" = "numbered"."next"
FROM (SELECT "project_id", max("sequence") + 1 AS "next" FROM "messages" GROUP BY "project_id") AS "numbered"
WHERE "numbered"."project_id" = "projects"."id";
