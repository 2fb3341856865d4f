// Placeholder until the scheduler layer lands; removed when it does.
