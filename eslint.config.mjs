import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "bench/results/**",
      "db/migrations/**",
      "next-env.d.ts",
      "e2e/screenshots/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/metrics is pure: data in, numbers out.
    files: ["lib/metrics/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next", "next/*", "react", "stripe", "@/db", "@/db/*", "@/lib/env", "@/app/*"],
              message: "lib/metrics stays pure",
            },
          ],
        },
      ],
    },
  },
  {
    // Client components get plain data.
    files: ["app/_components/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/db", "@/db/*", "@/lib/auth/*", "@/lib/stripe/*", "@/lib/env"],
              message: "client code gets plain data",
            },
          ],
        },
      ],
    },
  },
];

export default config;
