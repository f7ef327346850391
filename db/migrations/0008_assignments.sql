CREATE TABLE "assignment_departments" (
	"assignment_id" text NOT NULL,
	"department_id" text NOT NULL,
	CONSTRAINT "assignment_departments_pkey" PRIMARY KEY("assignment_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "assignment_people" (
	"assignment_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "assignment_people_pkey" PRIMARY KEY("assignment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" text PRIMARY KEY NOT NULL,
	"track_id" text NOT NULL,
	"scope" text NOT NULL,
	"due_on" date,
	"new_hire_days" integer,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by_id" text,
	CONSTRAINT "assignments_scope_check" CHECK ("assignments"."scope" in ('everyone', 'departments', 'people')),
	CONSTRAINT "assignments_due_check" CHECK ("assignments"."due_on" is not null or "assignments"."new_hire_days" is not null),
	CONSTRAINT "assignments_new_hire_days_check" CHECK ("assignments"."new_hire_days" is null or "assignments"."new_hire_days" between 1 and 730)
);
--> statement-breakpoint
ALTER TABLE "assignment_departments" ADD CONSTRAINT "assignment_departments_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_departments" ADD CONSTRAINT "assignment_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_people" ADD CONSTRAINT "assignment_people_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_people" ADD CONSTRAINT "assignment_people_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_withdrawn_by_id_users_id_fk" FOREIGN KEY ("withdrawn_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_people_user_idx" ON "assignment_people" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "assignments_track_idx" ON "assignments" USING btree ("track_id");