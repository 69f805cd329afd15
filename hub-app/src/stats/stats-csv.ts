// One statistics table as a CSV file: the same file the cloud's owner view writes, from
// shared-types.
export { statsCsv, type StatsTableData } from '@roomhub/shared-types';
