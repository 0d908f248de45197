"""Ministries' letters in the state form, with their addressees, for the due-dates tests."""
from __future__ import annotations

FILLER = ("Việc tổng hợp số liệu phải bảo đảm đầy đủ, chính xác, đúng biểu mẫu; các đơn vị rà soát "
          "nguồn kinh phí, đối chiếu với dự toán được giao và thuyết minh rõ những khoản chưa giải ngân. ")


def letter(code: str, date: tuple[int, int, int], issuer: str, recipients: list[str], body: str,
           subject: str, place: str = "Hà Nội") -> str:
    to = "\n".join(f"- {r};" for r in recipients) if len(recipients) > 1 else recipients[0]
    return (f"{issuer}\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            f"Số: {code}\n\n{place}, ngày {date[2]:02d} tháng {date[1]:02d} năm {date[0]}\n\nV/v {subject}\n\n"
            f"Kính gửi:\n{to}\n\n{body}\n\n{FILLER * 3}\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\n"
            f"KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn Bình\n")
