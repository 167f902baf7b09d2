/* Writes roster-libxlsxwriter.xlsx with libxlsxwriter from the cells cells.py lists (on stdin):
   numbers with worksheet_write_number, dates with worksheet_write_datetime in a date format,
   text with worksheet_write_string (shared strings). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s OUT.xlsx < cells.tsv\n", argv[0]); return 64; }
    lxw_workbook *workbook = workbook_new(argv[1]);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "名单");
    lxw_format *date = workbook_add_format(workbook);
    format_set_num_format(date, "yyyy-mm-dd");
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char *row = strtok(line, "\t"), *col = strtok(NULL, "\t"), *kind = strtok(NULL, "\t"), *value = strtok(NULL, "");
        if (!row || !col || !kind || !value) continue;
        lxw_row_t r = (lxw_row_t)atoi(row);
        lxw_col_t c = (lxw_col_t)atoi(col);
        if (kind[0] == 'n') {
            worksheet_write_number(sheet, r, c, strtod(value, NULL), NULL);
        } else if (kind[0] == 'd') {
            lxw_datetime dt = {0};
            sscanf(value, "%d-%d-%d", &dt.year, &dt.month, &dt.day);
            worksheet_write_datetime(sheet, r, c, &dt, date);
        } else {
            worksheet_write_string(sheet, r, c, value, NULL);
        }
    }
    return workbook_close(workbook) == LXW_NO_ERROR ? 0 : 1;
}
