-- Each person's own language for the web app and reports ('id' or 'en'); NULL means the
-- default from settings.
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('id', 'en'));

-- When the password was last set after creation (an admin's reset or the person's own
-- change): browser sessions issued before it are no longer accepted.
ALTER TABLE users ADD COLUMN password_set_at TEXT;
