import { z } from "zod";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * User text: trimmed, well-formed Unicode, no NUL. PostgreSQL cannot store NUL in text
 * and would turn a lone surrogate into U+FFFD, so both are rejected up front with a
 * BAD_REQUEST instead of failing (or silently changing) in the database.
 */
export const userText = () =>
  z
    .string()
    .trim()
    .refine((text) => !text.includes("\u0000"), "must not contain NUL characters")
    .refine((text) => !LONE_SURROGATE.test(text), "must be valid Unicode text");
