export { DomainError, type ErrorKind } from './domain-error';
export { describeIssues, type ValidationIssue } from './validation-problems';
