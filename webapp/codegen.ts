// Typed documents for the app's operations, generated from the API's committed schema.
// `npm run codegen` rewrites src/api/generated.ts; `npm run codegen:check` (part of the build)
// fails when it no longer matches schema.graphql or the operations.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.graphql'],
  generates: {
    'src/api/generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        enumsAsTypes: true,
        onlyOperationTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
        defaultScalarType: 'unknown',
        scalars: { DateTime: 'string', Date: 'string', Decimal: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
