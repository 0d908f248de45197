"""Vietnamese family names: a name printed on the same line as other words is taken only when
it opens with one of them (the surnames that cover nearly all Kinh names, and common ones of
the Tày, Nùng, Mường, Thái, Ê Đê and Gia Rai)."""
from __future__ import annotations

SURNAMES = frozenset("""
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Mai Đinh Trương Vương Tô Hà
Lương Đào Đoàn Lâm Trịnh Cao Chu Tạ Thái Nông Hứa Lại Kiều Tăng Giang Khúc Quách Triệu La Lưu Văn Tống
Châu Đàm Lục Từ Phùng Mạc Ninh Thân Âu Doãn Diệp Khổng Khương Lò Lã Lữ Lường Mã Mạnh Nghiêm Ông Quan
Quang Sầm Tôn Thạch Thiều Tiêu Trình Trưởng Ung Vi Viên Y H Ksor Rơ Siu Đàng Bế Hoàng Hầu Hán Kim Nhữ Phí
Phó Cù Cấn Chử Đồng Đoàn Đường Giáp Hàn Hạ Hồng Kha Khổng Khuất Lạc Lạng Lều Mẫn Mông Ngụy Nhan Ninh
Tiết Tòng Trang Trà Trầm Tường Uông Vàng Vy Yên
""".split())
