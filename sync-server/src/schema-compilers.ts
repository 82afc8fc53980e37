// Route schemas compiled once per process, whichever app instance asks. Fastify makes new compilers for every
// instance, so each app compiled every route's validators and serializers anew: about a third of building an
// app, and the test suites build one for nearly every test. A server process builds one app: no change there.
import { AjvCompiler } from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'

type SerializerFactory = ReturnType<typeof SerializerSelector>
type SerializerCompiler = ReturnType<SerializerFactory>
type Serializer = ReturnType<SerializerCompiler>

/** Pools one Ajv per set of shared schemas and options; Ajv keeps each schema object's validator. */
const buildValidator = AjvCompiler()

const buildFreshSerializer = SerializerSelector()
/** By shared schemas and options, then by the response schema object (routes pass module constants). */
const serializers = new Map<string, WeakMap<object, Serializer>>()

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const key = JSON.stringify([externalSchemas, options ?? null])
  let bySchema = serializers.get(key)
  if (!bySchema) {
    bySchema = new WeakMap()
    serializers.set(key, bySchema)
  }
  const cache = bySchema
  const compile = buildFreshSerializer(externalSchemas, options)
  return (route) => {
    const schema = route.schema as object
    const hit = cache.get(schema)
    if (hit) return hit
    const serializer = compile(route)
    cache.set(schema, serializer)
    return serializer
  }
}

export const schemaCompilers = { buildValidator, buildSerializer }
