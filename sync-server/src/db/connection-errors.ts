// Turns a failed first contact with PostgreSQL into a sentence saying what failed and what to do, never with the password.
import { StartupError } from '../startup-error.ts'

interface Target {
  host: string
  port: string
  database: string
  user: string | null
  password: string | null
}

function targetOf(url: string): Target {
  try {
    const u = new URL(url)
    const socketHost = u.searchParams.get('host')
    return {
      host: socketHost ?? (u.hostname || 'localhost'),
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || '(the user name)',
      user: u.username ? decodeURIComponent(u.username) : null,
      password: u.password ? decodeURIComponent(u.password) : null,
    }
  } catch {
    return { host: '?', port: '?', database: '?', user: null, password: null }
  }
}

/** The database's own words, with the password cut out should a driver ever echo it. */
function ownWords(error: unknown, password: string | null): string {
  const text = error instanceof Error ? error.message : String(error)
  return password ? text.split(password).join('***') : text
}

export function connectionFailure(error: unknown, url: string): StartupError {
  const t = targetOf(url)
  const where = `PostgreSQL at ${t.host}:${t.port}`
  const code = (error as { code?: unknown } | null)?.code
  const said = ownWords(error, t.password)
  const user = t.user ?? process.env.USER ?? null
  const fail = (message: string) => new StartupError(message, { cause: error })
  switch (code) {
    case 'ECONNREFUSED':
      return fail(
        `Cannot connect to ${where}: connection refused. Check that PostgreSQL is running and that the host and port in DATABASE_URL are right.`,
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(
        `Cannot connect to ${where}: the host is not known. Check the host in DATABASE_URL.`,
      )
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return fail(
        `Cannot connect to ${where}: no answer (${String(code)}). Check the host and port in DATABASE_URL and any firewall between.`,
      )
    case 'ENOENT':
      return fail(
        `Cannot connect to ${where}: there is no PostgreSQL socket there. Check that PostgreSQL is running and the host (socket folder) in DATABASE_URL.`,
      )
    case '28P01':
      return fail(
        `${where} refused the password for user "${user ?? '?'}" (authentication failed). Check the user and password in DATABASE_URL.`,
      )
    case '28000':
      return user === null
        ? fail(
            'DATABASE_URL names no user (and USER is not set): write one in it, as postgres://USER:PASSWORD@HOST:PORT/DATABASE.',
          )
        : fail(
            `${where} refused user "${user}": ${said}. Check the user in DATABASE_URL and that pg_hba.conf lets it in.`,
          )
    case '3D000':
      return fail(
        `The database "${t.database}" does not exist on ${where}. Create it (createdb -O ${user ?? 'USER'} ${t.database}) or correct the database name in DATABASE_URL.`,
      )
    default:
      return fail(
        `Cannot use the database at ${where}: ${said}${typeof code === 'string' ? ` (${code})` : ''}. Check DATABASE_URL and that PostgreSQL is running.`,
      )
  }
}

export function migrationFailure(name: string | undefined, error: unknown): StartupError {
  const said = ownWords(error, null)
  return new StartupError(
    name
      ? `Database migration ${name} failed: ${said}. Nothing after it ran; fix the cause and start again (or restore the backup taken before the upgrade).`
      : `Database migrations could not run: ${said}. Check the database and start again.`,
    { cause: error },
  )
}
