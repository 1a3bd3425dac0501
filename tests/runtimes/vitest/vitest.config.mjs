// How an app runs its unit tests: Vitest with the jsdom environment.
export default { test: { environment: 'jsdom', include: ['app.test.js'] } };
