/** Schemas shared by every route's documentation: the one error body. */
import { z } from 'zod';

export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string().describe('A stable code, e.g. "invalid_response".'),
    message: z.string().describe("Translated into the reader's language."),
    errors: z
      .array(
        z.object({
          path: z.string().describe('Where: "answers.region", or a JSON path such as "$.questions[2].prompt.fr".'),
          code: z.string(),
          questionId: z.string().optional(),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'ErrorBody' });
