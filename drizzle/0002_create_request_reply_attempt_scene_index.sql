ALTER TABLE "messages" ADD COLUMN "attempt" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "request_id" uuid;--> statement-breakpoint
CREATE INDEX "messages_scene_idx" ON "messages" USING btree ("scene_id");--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_request_unique" UNIQUE("owner_id","request_id");