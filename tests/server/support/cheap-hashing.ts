// Set-up file of the in-process suites (vite.config.ts): test accounts hash their passwords at a low scrypt cost.
import { lowerPasswordCostForTests } from '../../../sync-server/src/auth/passwords.ts'

lowerPasswordCostForTests(1024)
