-- The compose PostgreSQL images create only POSTGRES_USER (root); every server of this
-- workspace also has a `postgres` superuser so one configuration works everywhere.
CREATE ROLE postgres SUPERUSER LOGIN;
