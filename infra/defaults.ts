// Defaults shared by the Prisma CLI config and the runtime config.
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/jobs';
