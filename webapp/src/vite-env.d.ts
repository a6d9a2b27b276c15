/// <reference types="vite/client" />

declare module 'virtual:readme-examples' {
  const examples: readonly string[];
  export default examples;
}
